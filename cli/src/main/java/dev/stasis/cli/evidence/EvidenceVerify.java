package dev.stasis.cli.evidence;

import dev.stasis.cli.support.FormatOption;
import dev.stasis.evidence.Problem;
import dev.stasis.evidence.Vault;
import dev.stasis.evidence.VerifyResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code stasis evidence verify}: re-hash the bytes and check the manifests' signatures. */
@Command(name = "verify", mixinStandardHelpOptions = true, description = {
        "Re-hash items and check their signed manifests; name each altered part (archive, manifest, signature).",
        "Exit status 1 when anything fails."})
final class EvidenceVerify implements Callable<Integer> {
    @ParentCommand EvidenceCommand parent;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Parameters(index = "0", paramLabel = "ID") String id;
        @Option(names = "--all", description = "every item in the vault") boolean all;
    }

    @Option(names = "--reason", paramLabel = "TEXT", description = "why (custody log)") String reason;
    @Mixin FormatOption format = Output.format();

    @Override
    public Integer call() {
        boolean json = format.json();
        List<VerifyResult> results;
        try (Vault v = parent.vault.openExisting()) {
            results = target.all ? v.verifyAll(parent.vault.actor(), reason) : List.of(v.verify(target.id, parent.vault.actor(), reason));
            VaultOptions.noteUnrecorded(v);
        }
        long bad = results.stream().filter(r -> !r.ok()).count();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", bad == 0);
            m.put("checked", results.size());
            m.put("failed", bad);
            m.put("items", results);
            Output.json("evidence-verify", m);
        } else {
            for (VerifyResult r : results) {
                if (r.ok()) System.out.println("OK        " + r.id() + "  " + r.size() + " bytes");
                for (Problem p : r.problems()) System.out.println(("TAMPERED  ") + r.id() + "  " + p.part().name().toLowerCase() + ": " + p.message());
            }
            System.out.println(results.size() + " checked, " + (results.size() - bad) + " intact, " + bad + " failed");
        }
        return bad == 0 ? 0 : 1;
    }
}
