package dev.stasis.cli.memory;

import dev.stasis.cli.support.OutputFormat;
import dev.stasis.cli.support.FormatOption;
import picocli.CommandLine.Mixin;
import dev.stasis.cli.support.Json;
import dev.stasis.memory.search.Escapes;
import dev.stasis.memory.strings.FoundString;
import dev.stasis.memory.strings.StringsExtractor;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stasis memory strings}: printable strings of one process with their addresses. */
@Command(name = "strings", mixinStandardHelpOptions = true,
        description = "Printable strings in a process's memory with their virtual addresses (like strings(1) on the address space).")
public final class MemoryStringsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ARCHIVE", description = "checkpoint archive or directory") Path archive;
    @Option(names = "--pid", required = true, description = "process id") int pid;
    @Option(names = {"-n", "--min-len"}, defaultValue = "6", description = "shortest string (default: ${DEFAULT-VALUE})") int minLen;
    @Option(names = "--encoding", defaultValue = "ascii", description = "ascii, utf16le or both (default: ${DEFAULT-VALUE})") String encoding;
    @Mixin FormatOption format = FormatOption.of("text or json (JSON lines) (default: ${DEFAULT-VALUE})", OutputFormat.TEXT, OutputFormat.JSON);

    @Override
    public Integer call() throws Exception {
        boolean json = format.json();
        if (minLen < 1 || minLen > 4096) throw new IllegalArgumentException("--min-len must be between 1 and 4096");
        StringsExtractor.Encoding enc = switch (encoding.toLowerCase(Locale.ROOT)) {
            case "ascii" -> StringsExtractor.Encoding.ASCII;
            case "utf16le", "utf16", "utf-16le" -> StringsExtractor.Encoding.UTF16LE;
            case "both" -> StringsExtractor.Encoding.BOTH;
            default -> throw new IllegalArgumentException("invalid encoding: " + encoding + " (ascii, utf16le or both)");
        };
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16));
        try (MemoryOptions.Opened o = MemoryOptions.open(archive)) {
            new StringsExtractor(minLen, enc, (FoundString s) -> {
                if (json) {
                    out.println(Json.mapper().createObjectNode().put("address", MemoryOptions.hex(s.address()))
                            .put("encoding", s.encoding()).put("text", s.text()).toString());
                } else {
                    out.printf("%016x %s %s%n", s.address(), s.encoding().equals("ascii") ? "a" : "u",
                            Escapes.escape(s.text().getBytes(StandardCharsets.ISO_8859_1)));
                }
            }).extract(o.memory().addressSpace(pid));
        } finally {
            out.flush();
        }
        return 0;
    }
}
