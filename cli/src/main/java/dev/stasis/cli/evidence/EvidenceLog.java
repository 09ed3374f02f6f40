package dev.stasis.cli.evidence;

import dev.stasis.cli.support.FormatOption;
import dev.stasis.evidence.CustodyRecord;
import dev.stasis.evidence.CustodyVerification;
import dev.stasis.evidence.Problem;
import dev.stasis.evidence.Vault;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code stasis evidence log}: the custody log, and its check. */
@Command(name = "log", mixinStandardHelpOptions = true, description = {
        "Show the chain-of-custody log.",
        "With --verify, check every record's signature and link and name each edited, removed or reordered record",
        "(exit status 1 when any is found); an append cut short by a crash",
        "or a full disk is a NOTE, not tampering (the next append settles it and records what it did)."})
final class EvidenceLog implements Callable<Integer> {
    @ParentCommand EvidenceCommand parent;

    @Option(names = "--verify", description = "check the chain instead of listing it") boolean verify;
    @Option(names = "--item", paramLabel = "ID", description = "only records about this item") String item;
    @Mixin FormatOption format = Output.format();

    @Override
    public Integer call() {
        boolean json = format.json();
        try (Vault v = parent.vault.openExisting()) {
            if (verify) {
                CustodyVerification cv = v.custody().verify();
                if (json) {
                    Output.json("evidence-log-verify", cv);
                } else {
                    for (Problem p : cv.problems()) System.out.println("TAMPERED  " + p.message());
                    for (String n : cv.notes()) System.out.println("NOTE      " + n);
                    System.out.println(cv.records() + " records, " + (cv.ok() ? "chain intact" : cv.problems().size() + " problem(s)")
                            + " (" + v.custody().file() + ")");
                }
                return cv.ok() ? 0 : 1;
            }
            String id = item == null ? null : v.resolve(item);
            List<CustodyRecord> rs = new ArrayList<>(v.custody().records());
            if (id != null) rs.removeIf(r -> !id.equals(r.item()));
            if (json) {
                Output.json("evidence-log", "records", rs);
                return 0;
            }
            List<String[]> t = new ArrayList<>();
            t.add(new String[] {"SEQ", "TIME", "ACTION", "OUTCOME", "ITEM", "WHO", "FROM", "WHY", "DETAIL"});
            for (CustodyRecord r : rs)
                t.add(new String[] {Long.toString(r.seq()), r.time().toString(), r.action().name(), r.outcome(),
                        r.item() == null ? "-" : r.item().substring(0, 12), r.who(), Output.or(r.host()), Output.or(r.reason()), Output.or(r.detail())});
            Output.table(t, System.out);
            return 0;
        }
    }
}
