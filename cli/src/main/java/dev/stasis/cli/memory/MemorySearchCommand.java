package dev.stasis.cli.memory;

import dev.stasis.cli.support.OutputFormat;
import dev.stasis.cli.support.FormatOption;
import picocli.CommandLine.Mixin;
import dev.stasis.cli.support.Json;
import dev.stasis.memory.search.Escapes;
import dev.stasis.memory.search.MemorySearch;
import dev.stasis.memory.search.SearchHit;
import dev.stasis.memory.search.SearchPattern;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stasis memory search}: text, hex or regex over every process's pages. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Search process memory: every process unless --pid is given.",
                "Matches across page, pagemap-entry and VMA boundaries are found when the addresses are contiguous;",
                "shared memory is searched once and reported for every process that maps it.",
                "Context shows printable ASCII as is and escapes every other byte (\\xNN, \\n, \\r, \\t, \\\\; a run of 4 or more",
                "equal bytes once, as \\x00{14}); the match is coloured on a terminal and framed »like this« otherwise."})
public final class MemorySearchCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ARCHIVE", description = "checkpoint archive or directory") Path archive;

    static final class What {
        @Option(names = "--text", paramLabel = "S", description = "literal text (UTF-8 bytes)") String text;
        @Option(names = "--regex", paramLabel = "R", description = "Java regex over bytes as ISO-8859-1 characters") String regex;
        @Option(names = "--hex", paramLabel = "HEX", description = "bytes, e.g. \"de ad be ef\"") String hex;
    }

    @ArgGroup(exclusive = true, multiplicity = "1") What what;
    @Option(names = {"-i", "--ignore-case"}, description = "ASCII letters match either case") boolean ignoreCase;
    @Option(names = "--pid", arity = "1..*", paramLabel = "N", description = "only these processes") List<Integer> pids = new ArrayList<>();
    @Option(names = "--context", defaultValue = "32", paramLabel = "BYTES", description = "bytes shown before and after (default: ${DEFAULT-VALUE})") int context;
    @Option(names = "--max-hits", defaultValue = "1000", description = "stop after this many hits (default: ${DEFAULT-VALUE})") int maxHits;
    @Option(names = "--max-match", defaultValue = "4096", description = "longest regex match in bytes (default: ${DEFAULT-VALUE})") int maxMatch;
    @Option(names = "--stats", description = "print the bytes scanned, time and throughput to stderr") boolean stats;
    @Mixin FormatOption format = FormatOption.of("table or json (default: ${DEFAULT-VALUE})", OutputFormat.TABLE, OutputFormat.JSON);

    @Override
    public Integer call() throws Exception {
        boolean json = format.json();
        if (context < 0 || context > 65536) throw new IllegalArgumentException("--context must be between 0 and 65536");
        if (maxHits <= 0) throw new IllegalArgumentException("--max-hits must be positive");
        if (maxMatch <= 0 || maxMatch > (1 << 20)) throw new IllegalArgumentException("--max-match must be between 1 and 1048576");
        SearchPattern pattern = what.text != null ? SearchPattern.text(what.text, ignoreCase)
                : what.hex != null ? SearchPattern.hex(what.hex)
                : SearchPattern.regex(what.regex, ignoreCase, maxMatch);
        if (what.hex != null && ignoreCase) throw new IllegalArgumentException("--ignore-case does not apply to --hex");
        try (MemoryOptions.Opened o = MemoryOptions.open(archive)) {
            MemorySearch.Options opts = new MemorySearch.Options(Set.copyOf(pids), context, maxHits);
            MemorySearch.Result r;
            ProgressBar bar = MemoryOptions.progress("search", MemorySearch.plannedBytes(o.memory(), opts));
            long t0 = System.nanoTime();
            try {
                r = MemorySearch.search(o.memory(), pattern, opts, bar == null ? null : bar::stepTo);
            } finally {
                if (bar != null) bar.close();
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            if (stats) System.err.printf("stasis: searched %d bytes of pages in %.3f s (%.2f GB/s)%n", r.bytesScanned(), secs, r.bytesScanned() / secs / 1e9);
            if (json) printJson(r);
            else printTable(r);
            if (r.truncated()) System.err.println("stasis: stopped after " + maxHits + " hits (--max-hits)");
            return 0;
        }
    }

    private void printTable(MemorySearch.Result r) {
        // The VMA is named by its backing (or "anon") and permissions: its range is in `memory maps` and in
        // the JSON. The context keeps at most 40 characters a side, so a line stays near 130 columns.
        boolean colour = dev.stasis.cli.support.Terminal.colour();
        System.out.printf("%-7s %-16s %-15s %-22s %s%n", "PID", "COMM", "ADDRESS", "VMA", "CONTEXT");
        for (SearchHit h : r.hits()) {
            String vma = h.vma() == null ? "?" : (h.vma().name().isEmpty() ? "anon" : h.vma().name()) + " " + h.vma().perms();
            System.out.printf("%-7d %-16s %-15s %-22s %s%n", h.pid(), h.process(), MemoryOptions.hex(h.address()), vma,
                    SearchContext.line(h.before(), h.match(), h.after(), 40, colour));
        }
        System.out.printf("%d hit(s) in %s of pages%n", r.hits().size(), MemoryCommand.human(r.bytesScanned()));
    }

    private void printJson(MemorySearch.Result r) {
        List<Map<String, Object>> hits = new ArrayList<>();
        for (SearchHit h : r.hits()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pid", h.pid());
            m.put("process", h.process());
            m.put("address", MemoryOptions.hex(h.address()));
            m.put("match", Escapes.escape(h.match()));
            m.put("match_hex", Escapes.hex(h.match()));
            Map<String, Object> vma = new LinkedHashMap<>();
            if (h.vma() != null) {
                vma.put("start", MemoryOptions.hex(h.vma().start()));
                vma.put("end", MemoryOptions.hex(h.vma().end()));
                vma.put("perms", h.vma().perms());
                vma.put("backing", h.vma().name());
            }
            m.put("vma", vma);
            m.put("before", Escapes.escape(h.before()));
            m.put("after", Escapes.escape(h.after()));
            m.put("shared", h.shared());
            m.put("pages_image", h.pagesImage());
            m.put("image_offset", h.fileOffset());
            hits.add(m);
        }
        Map<String, Object> out = Json.document("memory-search", 1);
        out.put("hits", hits);
        out.put("truncated", r.truncated());
        out.put("bytes_scanned", r.bytesScanned());
        Json.print(out);
    }
}
