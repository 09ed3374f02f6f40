package dev.stasis.cli.evidence;

import dev.stasis.cli.support.FormatOption;
import dev.stasis.evidence.EvidenceItem;
import dev.stasis.evidence.Manifest;
import dev.stasis.evidence.Provenance;
import dev.stasis.evidence.ProvenanceEntry;
import dev.stasis.evidence.Vault;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code stasis evidence show}: an item's manifest (signature checked). */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show an item's signed manifest: what it is, where it came from, each store.")
final class EvidenceShow implements Callable<Integer> {
    @ParentCommand EvidenceCommand parent;

    @Parameters(index = "0", paramLabel = "ID", description = "item id or a unique prefix (6+ hex digits)") String id;

    @Mixin FormatOption format = Output.format();

    @Override
    public Integer call() {
        boolean json = format.json();
        EvidenceItem item;
        List<String> cases = List.of();
        try (Vault v = parent.vault.openExisting()) {
            item = v.item(id);
        }
        try {
            var cs = parent.vault.existingCases();
            if (cs.isPresent()) {
                try (var s = cs.get()) {
                    cases = s.casesOf(item.id());
                }
            }
        } catch (RuntimeException e) {
            // the case database is optional for showing an item
        }
        Manifest m = item.manifest();
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", item.id());
            out.put("signature", "valid");
            out.put("cases", cases);
            out.put("manifest", m);
            Output.json("evidence-show", out);
            return 0;
        }
        System.out.println("id          " + item.id());
        System.out.println("size        " + m.size() + " bytes (" + Output.bytes(m.size()) + ")");
        System.out.println("format      " + m.format());
        System.out.println("stored      " + m.storedAt());
        System.out.println("location    " + m.location());
        m.storage().forEach((k, val) -> System.out.println("  " + k + " = " + val));
        System.out.println("signed by   key " + m.keyId() + " (signature valid)");
        if (!cases.isEmpty()) System.out.println("cases       " + String.join(", ", cases));
        int n = 0;
        for (ProvenanceEntry e : m.provenance()) {
            Provenance p = e.source();
            System.out.println();
            System.out.println("store #" + (++n) + " at " + e.storedAt() + " by " + e.storedBy().who() + "@" + e.storedBy().host()
                    + (e.reason() == null ? "" : " (" + e.reason() + ")"));
            line("cluster", p.cluster());
            line("node", p.node());
            line("namespace", p.namespace());
            line("pod", p.pod() == null ? null : p.pod() + (p.podUid() == null ? "" : " (uid " + p.podUid() + ")"));
            line("container", p.container() == null ? null : p.container() + (p.containerId() == null ? "" : " (" + p.containerId() + ")"));
            line("image", p.image() == null ? null : p.image() + (p.imageDigest() == null ? "" : "@" + p.imageDigest()));
            line("runtime path", p.runtimePath());
            line("checkpointed", p.checkpointTime() == null ? null : p.checkpointTime().toString());
            line("collected", p.collectedAt() == null ? null : p.collectedAt().toString());
            line("collector", p.collector());
            line("source", p.sourceName());
            line("source sha256", e.expectedSha256());
            if (p.alert() != null) line("alert", p.alert().length() > 200 ? p.alert().substring(0, 200).replace('\n', ' ') + "…" : p.alert().replace('\n', ' '));
        }
        return 0;
    }

    private static void line(String k, String v) {
        if (v != null) System.out.printf("  %-14s %s%n", k, v);
    }
}
