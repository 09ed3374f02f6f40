package dev.stasis.cli.evidence;

import dev.stasis.cli.support.FormatOption;
import dev.stasis.evidence.EvidenceItem;
import dev.stasis.evidence.Provenance;
import dev.stasis.evidence.Vault;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code stasis evidence list}: the vault's items, newest first. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the vault's items, newest first (signature-checked manifests only; 'verify --all' names the others).")
final class EvidenceList implements Callable<Integer> {
    @ParentCommand EvidenceCommand parent;

    @Mixin FormatOption format = Output.format();

    @Override
    public Integer call() {
        boolean json = format.json();
        List<EvidenceItem> items;
        int unsigned;
        try (Vault v = parent.vault.openExisting()) {
            items = v.list();
            unsigned = v.ids().size() - items.size();
        }
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (EvidenceItem i : items) {
                Provenance p = i.manifest().latestSource();
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", i.id());
                m.put("size", i.size());
                m.put("format", i.manifest().format());
                m.put("stored_at", i.manifest().storedAt());
                m.put("stores", i.manifest().provenance().size());
                m.put("namespace", p.namespace());
                m.put("pod", p.pod());
                m.put("container", p.container());
                m.put("source", p.sourceName());
                rows.add(m);
            }
            Output.json("evidence-list", "items", rows);
        } else {
            List<String[]> t = new ArrayList<>();
            t.add(new String[] {"ID", "SIZE", "FORMAT", "STORED", "STORES", "NAMESPACE", "POD", "SOURCE"});
            for (EvidenceItem i : items) {
                Provenance p = i.manifest().latestSource();
                t.add(new String[] {i.id().substring(0, 16), Output.bytes(i.size()), i.manifest().format(), i.manifest().storedAt().toString(),
                        Integer.toString(i.manifest().provenance().size()), Output.or(p.namespace()), Output.or(p.pod()), Output.or(p.sourceName())});
            }
            Output.table(t, System.out);
            if (unsigned > 0) System.err.println("stasis: " + unsigned + " item(s) fail their manifest check and are not listed; run 'stasis evidence verify --all'");
        }
        return 0;
    }
}
