package dev.stasis.cli.memory;

import dev.stasis.cli.support.OutputFormat;
import dev.stasis.cli.support.FormatOption;
import picocli.CommandLine.Mixin;
import dev.stasis.cli.support.Json;
import dev.stasis.memory.AddressSpace;
import dev.stasis.memory.PageState;
import dev.stasis.memory.Vma;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stasis memory maps ARCHIVE --pid N}: the VMAs like /proc/PID/maps, with resident pages. */
@Command(name = "maps", mixinStandardHelpOptions = true,
        description = {"Show a process's VMAs like /proc/PID/maps, with the pages the checkpoint holds and lacks.",
                "Columns: start-end, rwxp, offset, RSS (pages whose bytes are in the checkpoint), MISSING (pages whose",
                "bytes are lost: in a pre-dump parent this checkpoint lacks, or left for lazy migration; the same as",
                "`stasis memory`'s MISSING), FILE (file pages CRIU did not dump: the file's unchanged content) and backing."})
public final class MemoryMapsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ARCHIVE", description = "checkpoint archive or directory") Path archive;
    @Option(names = "--pid", required = true, description = "process id") int pid;
    @Mixin FormatOption format = FormatOption.of("table or json (default: ${DEFAULT-VALUE})", OutputFormat.TABLE, OutputFormat.JSON);

    @Override
    public Integer call() throws Exception {
        boolean json = format.json();
        try (MemoryOptions.Opened o = MemoryOptions.open(archive)) {
            AddressSpace as = o.memory().addressSpace(pid);
            List<Map<String, Object>> out = new ArrayList<>();
            if (!json) System.out.printf("%-33s %-4s %-8s %8s %8s %8s  %s%n", "ADDRESS", "PERM", "OFFSET", "RSS(pg)", "MISSING", "FILE(pg)", "BACKING");
            for (Vma v : as.process().vmas()) {
                EnumMap<PageState, Long> c = as.census(v);
                long rss = c.getOrDefault(PageState.DATA, 0L);
                // MISSING as MemorySummary counts it (bytes lost); file pages not dumped are only the file's content
                long missing = c.getOrDefault(PageState.IN_PARENT, 0L) + c.getOrDefault(PageState.LAZY, 0L);
                long file = c.getOrDefault(PageState.FILE_NOT_DUMPED, 0L);
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("start", MemoryOptions.hex(v.start()));
                    m.put("end", MemoryOptions.hex(v.end()));
                    m.put("perms", v.perms());
                    m.put("offset", MemoryOptions.hex(v.pgoff()));
                    m.put("backing", v.name());
                    m.put("resident_pages", rss);
                    m.put("pages", v.pages());
                    m.put("missing_pages", missing);
                    m.put("file_backed_pages_not_in_checkpoint", file);
                    Map<String, Long> absent = new LinkedHashMap<>();
                    c.forEach((k, n) -> { if (!k.known()) absent.put(k.name().toLowerCase(java.util.Locale.ROOT), n); });
                    m.put("pages_not_in_checkpoint", absent);
                    out.add(m);
                } else {
                    System.out.printf("%016x-%016x %-4s %08x %8d %8s %8s  %s%n", v.start(), v.end(), v.perms(), v.pgoff(), rss,
                            missing == 0 ? "-" : String.valueOf(missing), file == 0 ? "-" : String.valueOf(file), v.name());
                }
            }
            if (json) {
                Map<String, Object> doc = Json.document("memory-maps", 1);
                doc.put("pid", pid);
                doc.put("vmas", out);
                Json.print(doc);
            }
            return 0;
        }
    }
}
