package dev.stasis.cli.evidence;

import dev.stasis.cli.support.FormatOption;
import dev.stasis.evidence.Vault;
import dev.stasis.evidence.cases.CaseDetail;
import dev.stasis.evidence.cases.CaseStore;
import dev.stasis.evidence.cases.CaseSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code stasis case}: cases group evidence items and analysis reports, with tags and notes. */
@Command(name = "case", mixinStandardHelpOptions = true,
        description = {"Cases: group evidence items and analysis reports, with tags and notes.",
                "SQLite next to the vault by default; PostgreSQL with --db jdbc:postgresql://HOST/DB (user and password",
                "from STASIS_CASE_DB_USER / STASIS_CASE_DB_PASSWORD)."},
        subcommands = {CaseCommand.Create.class, CaseCommand.ListCases.class, CaseCommand.Show.class, CaseCommand.Add.class,
                CaseCommand.Tag.class, CaseCommand.Note.class, CaseCommand.Close.class})
public final class CaseCommand implements Callable<Integer> {
    @Mixin
    VaultOptions vault;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw dev.stasis.cli.support.Errors.missingCommand(spec);
    }

    /** The case database holding case {@code name}, for the commands that read or change a case: creates nothing. */
    CaseStore existing(String name) {
        return vault.existingCases().orElseThrow(() -> new dev.stasis.evidence.cases.CaseException(
                "no case " + name + " (create it with 'stasis case create " + name + "')"));
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Open a new case.")
    static final class Create implements Callable<Integer> {
        @ParentCommand CaseCommand parent;
        @Parameters(index = "0", paramLabel = "NAME", description = "e.g. INC-42") String name;
        @Option(names = {"-t", "--title"}, paramLabel = "TEXT") String title;
        @Mixin FormatOption format = Output.format();

        @Override
        public Integer call() {
            boolean json = format.json();
            try (CaseStore s = parent.vault.cases()) {
                CaseSummary c = s.create(name, title == null ? name : title, parent.vault.actor().who());
                if (json) Output.json("case-create", c);
                else System.out.println("created case " + c.name());
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List cases, newest first.")
    static final class ListCases implements Callable<Integer> {
        @ParentCommand CaseCommand parent;
        @Mixin FormatOption format = Output.format();

        @Override
        public Integer call() {
            boolean json = format.json();
            var store = parent.vault.existingCases(); // a vault without a case database has no cases yet
            try (CaseStore s = store.orElse(null)) {
                List<CaseSummary> all = s == null ? List.of() : s.list();
                if (json) {
                    Output.json("case-list", "cases", all);
                    return 0;
                }
                List<String[]> t = new ArrayList<>();
                t.add(new String[] {"CASE", "STATUS", "EVIDENCE", "REPORTS", "TAGS", "CREATED", "TITLE"});
                for (CaseSummary c : all)
                    t.add(new String[] {c.name(), c.status(), Integer.toString(c.evidence()), Integer.toString(c.reports()),
                            c.tags().isEmpty() ? "-" : String.join(",", c.tags()), c.createdAt().toString(), c.title()});
                Output.table(t, System.out);
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a case with its evidence, reports, tags and notes.")
    static final class Show implements Callable<Integer> {
        @ParentCommand CaseCommand parent;
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Mixin FormatOption format = Output.format();

        @Override
        public Integer call() {
            boolean json = format.json();
            try (CaseStore s = parent.existing(name)) {
                CaseDetail d = s.show(name);
                if (json) {
                    Output.json("case-show", d);
                    return 0;
                }
                System.out.println(d.name() + "  [" + d.status() + "]  " + d.title());
                System.out.println("opened " + d.createdAt() + " by " + d.createdBy());
                if (!d.tags().isEmpty()) System.out.println("tags   " + String.join(", ", d.tags()));
                System.out.println("evidence (" + d.evidence().size() + ")");
                for (var e : d.evidence()) System.out.println("  " + e.itemId() + "  added " + e.addedAt() + " by " + e.addedBy());
                System.out.println("reports (" + d.reports().size() + ")");
                for (var r : d.reports()) System.out.println("  " + r.id() + "  " + r.title() + "  sha256 " + r.sha256() + "  " + r.content().length() + " chars");
                System.out.println("notes (" + d.notes().size() + ")");
                for (var n : d.notes()) System.out.println("  " + n.addedAt() + " " + n.addedBy() + ": " + n.body());
            }
            return 0;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = {
            "Add evidence items (by vault id or unique prefix) and/or analysis reports (files, kept verbatim) to a case."})
    static final class Add implements Callable<Integer> {
        @ParentCommand CaseCommand parent;
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Parameters(index = "1..*", paramLabel = "ID", description = "evidence item ids") List<String> items = new ArrayList<>();
        @Option(names = "--report", paramLabel = "FILE", description = "an analysis report to keep with the case (repeatable)") List<Path> reports = new ArrayList<>();
        @Option(names = "--title", paramLabel = "TEXT", description = "report title (default: the file name)") String title;
        @Mixin FormatOption format = Output.format();

        @Override
        public Integer call() throws IOException {
            boolean json = format.json();
            if (items.isEmpty() && reports.isEmpty()) throw new IllegalArgumentException("give evidence ids and/or --report FILE");
            String who = parent.vault.actor().who();
            Map<String, Object> out = new LinkedHashMap<>();
            List<String> ids = new ArrayList<>();
            if (!items.isEmpty()) {
                try (Vault v = parent.vault.openExisting()) {
                    for (String i : items) ids.add(v.item(i).id()); // must exist and pass its manifest check
                }
            }
            try (CaseStore s = parent.existing(name)) {
                s.show(name);
                List<String> added = new ArrayList<>();
                for (String id : ids) if (s.addEvidence(name, id, who)) added.add(id);
                List<String> reportIds = new ArrayList<>();
                for (Path r : reports) {
                    if (Files.size(r) > (64 << 20)) throw new IllegalArgumentException("report " + r + " is larger than 64 MiB");
                    reportIds.add(s.addReport(name, title != null ? title : r.getFileName().toString(), Files.readString(r, StandardCharsets.UTF_8), who));
                }
                out.put("case", name);
                out.put("evidence_added", added);
                out.put("reports_added", reportIds);
                if (json) Output.json("case-add", out);
                else {
                    for (String id : ids) System.out.println((added.contains(id) ? "added     " : "already in ") + id);
                    for (String r : reportIds) System.out.println("report    " + r);
                }
            }
            return 0;
        }
    }

    @Command(name = "tag", mixinStandardHelpOptions = true, description = "Tag a case (or remove tags with --remove).")
    static final class Tag implements Callable<Integer> {
        @ParentCommand CaseCommand parent;
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "TAG") List<String> tags;
        @Option(names = "--remove", description = "remove these tags") boolean remove;
        @Mixin FormatOption format = Output.format();

        @Override
        public Integer call() {
            boolean json = format.json();
            try (CaseStore s = parent.existing(name)) {
                for (String t : tags) {
                    if (remove) s.untag(name, t);
                    else s.tag(name, t);
                }
                List<String> now = s.show(name).tags();
                if (json) Output.json("case-tag", Map.of("case", name, "tags", now));
                else System.out.println(name + " tags: " + (now.isEmpty() ? "-" : String.join(", ", now)));
            }
            return 0;
        }
    }

    @Command(name = "note", mixinStandardHelpOptions = true, description = "Add a note to a case.")
    static final class Note implements Callable<Integer> {
        @ParentCommand CaseCommand parent;
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "TEXT") List<String> words;
        @Mixin FormatOption format = Output.format();

        @Override
        public Integer call() {
            boolean json = format.json();
            try (CaseStore s = parent.existing(name)) {
                String id = s.note(name, String.join(" ", words), parent.vault.actor().who());
                if (json) Output.json("case-note", Map.of("case", name, "note", id));
                else System.out.println("noted on " + name);
            }
            return 0;
        }
    }

    @Command(name = "close", mixinStandardHelpOptions = true, description = "Close a case (or reopen it with --reopen).")
    static final class Close implements Callable<Integer> {
        @ParentCommand CaseCommand parent;
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Option(names = "--reopen") boolean reopen;

        @Override
        public Integer call() {
            try (CaseStore s = parent.existing(name)) {
                s.setStatus(name, reopen ? "open" : "closed");
                System.out.println(name + " " + (reopen ? "reopened" : "closed"));
            }
            return 0;
        }
    }
}
