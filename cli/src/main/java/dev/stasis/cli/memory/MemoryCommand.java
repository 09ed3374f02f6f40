package dev.stasis.cli.memory;

import dev.stasis.cli.support.OutputFormat;
import dev.stasis.cli.support.FormatOption;
import picocli.CommandLine.Mixin;
import dev.stasis.cli.support.Json;
import dev.stasis.memory.MemorySummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stasis memory ARCHIVE}: per-process memory summary; the subcommands dig in. */
@Command(name = "memory", mixinStandardHelpOptions = true,
        description = {"Process memory in a checkpoint: summary, maps, search, strings, dump, artefacts (history, credentials).",
                "Without a subcommand: per process, the VMA count, resident memory (pages in the checkpoint),",
                "the part in shared objects (shared anonymous memory, memfds) and MISSING pages, whose bytes are lost",
                "(in a pre-dump parent it does not contain, or left for lazy migration); `memory maps` counts them the",
                "same way per VMA, with file pages CRIU did not dump (the file's content) in a column of their own."},
        subcommands = {MemoryMapsCommand.class, MemorySearchCommand.class, MemoryStringsCommand.class, MemoryDumpCommand.class,
                MemoryArtefactsCommand.class})
public final class MemoryCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "ARCHIVE", description = "checkpoint archive (tar, tar.zst, tar.gz) or directory")
    Path archive;

    @Mixin FormatOption format = FormatOption.of("table or json (default: ${DEFAULT-VALUE})", OutputFormat.TABLE, OutputFormat.JSON);

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (archive == null) {
            throw dev.stasis.cli.support.Errors.missingCommand(spec);
        }
        boolean json = format.json();
        try (MemoryOptions.Opened o = MemoryOptions.open(archive)) {
            List<MemorySummary> rows = MemorySummary.of(o.memory());
            if (json) {
                List<Map<String, Object>> out = new ArrayList<>();
                for (MemorySummary s : rows) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("pid", s.pid());
                    m.put("comm", s.comm());
                    m.put("state", s.state());
                    m.put("vmas", s.vmas());
                    m.put("virtual_bytes", s.virtualBytes());
                    m.put("resident_bytes", s.residentPages() * 4096);
                    m.put("shared_bytes", s.sharedPages() * 4096);
                    m.put("missing_pages", s.missingPages());
                    m.put("parent_pages", s.parentPages());
                    m.put("lazy_pages", s.lazyPages());
                    m.put("file_backed_pages_not_in_checkpoint", s.fileNotDumpedPages());
                    out.add(m);
                }
                Map<String, Object> doc = Json.document("memory", 1);
                doc.put("processes", out);
                Json.print(doc);
                return 0;
            }
            System.out.printf("%-7s %-16s %-14s %5s %10s %10s %10s %8s%n", "PID", "COMM", "STATE", "VMAS", "VIRTUAL", "RESIDENT", "SHARED", "MISSING");
            for (MemorySummary s : rows) {
                System.out.printf("%-7d %-16s %-14s %5d %10s %10s %10s %8s%n", s.pid(), s.comm(), s.state(), s.vmas(),
                        human(s.virtualBytes()), human(s.residentPages() * 4096), human(s.sharedPages() * 4096),
                        s.missingPages() == 0 ? "0" : s.missingPages() + " pg");
            }
            return 0;
        }
    }

    static String human(long bytes) {
        if (bytes < 1024) return bytes + " B";
        String[] u = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int i = -1;
        while (v >= 1024 && i < u.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(v >= 100 ? "%.0f %s" : "%.1f %s", v, u[i]);
    }
}
