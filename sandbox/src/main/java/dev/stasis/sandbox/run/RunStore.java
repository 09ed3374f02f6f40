package dev.stasis.sandbox.run;

import dev.stasis.evidence.Actor;
import dev.stasis.evidence.CustodyAction;
import dev.stasis.evidence.Provenance;
import dev.stasis.evidence.StoreRequest;
import dev.stasis.evidence.Vault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts a run's recordings into the evidence vault, each linked to the checkpoint it came from:
 * the reason of its STORE record names the run and the source item, and the source item gets a
 * custody record of the restore that lists what was made of it. A checkpoint that is not yet in
 * the vault is stored first, so the link always points at an item.
 */
public final class RunStore {
    private RunStore() {}

    /** Stores and returns the result with the vault ids filled in. */
    public static RunResult store(Vault vault, Actor actor, RunResult r, String sourceItem, String reason) {
        String source = sourceItem;
        if (source == null) {
            source = vault.store(StoreRequest.ofFile(Path.of(r.archive()), Provenance.builder().sourceName(Path.of(r.archive()).getFileName().toString())
                    .collectedAt(Instant.now()).collector("stasis sandbox run").build(), actor)
                    .withReason("checkpoint restored by sandbox run " + r.runId())).item().id();
        }
        String why = "sandbox run " + r.runId() + " of item " + source + (reason == null ? "" : " (" + reason + ")");
        RunResult.Output rec = put(vault, actor, r.recording(), r, why + ": syscall recording");
        RunResult.Output pcap = put(vault, actor, r.pcap(), r, why + ": network capture of the cage");
        RunResult.Output tr = put(vault, actor, r.transcript(), r, why + ": sinkhole transcript");
        List<String> made = new ArrayList<>();
        for (RunResult.Output o : List.of(rec, pcap, tr)) {
            if (o.vaultId() != null) made.add(Path.of(o.path()).getFileName() + "=" + o.vaultId());
        }
        String detail = "restored as " + r.container() + " in an isolated cage (" + r.address() + ", sinkhole " + String.join(",", r.sinkholeAddresses())
                + "), " + r.restoreMillis() + " ms restore, " + r.durationSeconds() + " s run; recordings " + String.join(" ", made)
                + "; removed afterwards: " + String.join("; ", r.cleanup());
        vault.custody().append(CustodyAction.READ, source, actor, "sandbox run " + r.runId() + (reason == null ? "" : ": " + reason), "ok", detail, null);
        return new RunResult(r.runId(), r.archive(), r.runDir(), r.container(), r.address(), r.sinkholeAddresses(), r.isolationVerified(),
                r.tcpEstablished(), r.takenOver(), r.replacedMounts(), r.restoreMillis(), r.restoreStats(), r.restoredPids(), r.stimulus(),
                r.recorder(), rec, pcap, tr, r.durationSeconds(), r.report(), r.cleanup(), r.warnings());
    }

    private static RunResult.Output put(Vault vault, Actor actor, RunResult.Output o, RunResult r, String reason) {
        Path p = Path.of(o.path());
        if (!Files.isRegularFile(p)) return o;
        Provenance prov = Provenance.builder().sourceName(p.getFileName().toString()).container(r.container())
                .collectedAt(Instant.now()).collector("stasis sandbox run " + r.runId()).build();
        return o.withVaultId(vault.store(StoreRequest.ofFile(p, prov, actor).withReason(reason)).item().id());
    }
}
