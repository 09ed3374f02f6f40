package dev.stasis.cli.checkpoint;

import dev.stasis.cli.support.OutputFormat;
import dev.stasis.cli.support.FormatOption;
import picocli.CommandLine.Mixin;
import dev.stasis.checkpoint.CheckpointException;
import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.checkpoint.container.EmbeddedFiles;
import dev.stasis.checkpoint.container.SafeExtractor;
import dev.stasis.cli.support.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stasis extract ARCHIVE PATH -o DIR}: a file from the rootfs diff, a ghost file (deleted
 * while open) or a memfd ("/memfd:NAME"), written under DIR and never outside it.
 */
@Command(name = "extract", mixinStandardHelpOptions = true,
        description = {"Extract a file from a checkpoint's rootfs diff, a ghost file or a memfd.",
                "PATH is a container path (/tmp/x), a deleted file's path, or /memfd:NAME; --list shows what can be extracted."})
public final class ExtractCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ARCHIVE") Path archive;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PATH") String path;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "output directory (created if missing)") Path output;

    @Option(names = "--rootfs-diff", description = "extract the whole rootfs diff (files and directories; links are reported, not created)") boolean wholeDiff;

    @Option(names = "--list", description = "list the extractable files instead") boolean list;

    @Mixin FormatOption format = FormatOption.of("text or json (default: ${DEFAULT-VALUE})", OutputFormat.TEXT, OutputFormat.JSON);

    @Override
    public Integer call() throws IOException {
        boolean json = format.json();
        try (CheckpointArchive a = CheckpointArchive.open(archive)) {
            List<String> warnings = new ArrayList<>();
            EmbeddedFiles embedded = new EmbeddedFiles(a, warnings);
            if (list) return list(a, embedded, json);
            if (output == null) throw new IllegalArgumentException("missing -o DIR: where to write");
            SafeExtractor x = new SafeExtractor(output);
            if (wholeDiff) {
                List<SafeExtractor.Outcome> outcomes = x.extractDiff(a);
                if (json) {
                    Map<String, Object> doc = Json.document("extract-rootfs-diff", 1);
                    doc.put("files", outcomes.stream().map(o -> {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("path", o.path());
                        if (o.written() != null) m.put("written", o.written().toString());
                        if (o.skipped() != null) m.put("skipped", o.skipped());
                        return m;
                    }).toList());
                    Json.print(doc);
                } else {
                    for (SafeExtractor.Outcome o : outcomes) {
                        System.out.println(o.written() != null ? o.path() + " -> " + o.written() : o.path() + ": skipped: " + o.skipped());
                    }
                }
                return 0;
            }
            if (path == null) throw new IllegalArgumentException("missing PATH (or --rootfs-diff, or --list)");
            Path written;
            var e = embedded.find(path);
            if (e.isPresent()) {
                String name = e.get().path().substring(e.get().path().lastIndexOf('/') + 1).replace(':', '_');
                written = x.target(e.get().kind() == EmbeddedFiles.Kind.MEMFD ? "memfd/" + name : e.get().path());
                try (OutputStream out = x.create(written)) {
                    embedded.copy(e.get(), out);
                }
            } else if (a.has("rootfs-diff.tar")) {
                written = x.extractDiffFile(a, path);
            } else {
                throw new CheckpointException(path + " is neither in the rootfs diff, a ghost file nor a memfd of " + archive.getFileName());
            }
            if (json) {
                Map<String, Object> doc = Json.document("extract", 1);
                doc.put("path", path);
                doc.put("written", written.toString());
                Json.print(doc);
            } else {
                System.out.println(path + " -> " + written);
            }
            return 0;
        }
    }

    private int list(CheckpointArchive a, EmbeddedFiles embedded, boolean json) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (var e : embedded.list()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", e.path());
            m.put("kind", e.kind().name().toLowerCase());
            m.put("size", e.size());
            m.put("mode", String.format("%04o", e.mode() & 07777));
            rows.add(m);
        }
        for (var d : dev.stasis.checkpoint.container.RootfsDiffReader.read(a)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", d.path());
            m.put("kind", "rootfs-diff " + d.type());
            m.put("size", d.size());
            m.put("mode", String.format("%04o", d.mode()));
            rows.add(m);
        }
        if (json) {
            Map<String, Object> doc = Json.document("extract-list", 1);
            doc.put("files", rows);
            Json.print(doc);
        } else {
            List<String[]> table = new ArrayList<>();
            table.add(new String[] {"KIND", "MODE", "SIZE", "PATH"});
            rows.forEach(r -> table.add(new String[] {r.get("kind").toString(), r.get("mode").toString(), r.get("size").toString(), r.get("path").toString()}));
            Table.print(table, System.out);
        }
        return 0;
    }
}
