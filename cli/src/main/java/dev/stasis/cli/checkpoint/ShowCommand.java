package dev.stasis.cli.checkpoint;

import dev.stasis.cli.support.OutputFormat;
import dev.stasis.cli.support.FormatOption;
import picocli.CommandLine.Mixin;
import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.checkpoint.container.ContainerMetadataReader;
import dev.stasis.checkpoint.model.Container;
import dev.stasis.cli.checkpoint.inspect.Formats;
import dev.stasis.cli.support.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stasis show}: one line per archive (checkpointctl's show columns), metadata only. */
@Command(name = "show", mixinStandardHelpOptions = true, description = {"Show one line per checkpoint archive.",
        "The table fits a 120-column terminal: the archive's file name, the container, its pod, when it was created",
        "(UTC, to the minute) and the checkpoint's size. --wide adds checkpointctl's other columns (id, runtime, engine,",
        "compression, root fs diff size); --format json has every field, with the archive's full path."})
public final class ShowCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "ARCHIVE") List<Path> archives;

    @Mixin FormatOption format = FormatOption.of("table or json (default: ${DEFAULT-VALUE})", OutputFormat.TABLE, OutputFormat.JSON);
    @Option(names = "--wide", description = "every column, as checkpointctl's show prints them (about 230 columns)") boolean wide;

    @Override
    public Integer call() {
        boolean json = format.json();
        List<Map<String, Object>> rows = new ArrayList<>();
        int failed = 0;
        for (Path p : archives) {
            try (CheckpointArchive a = CheckpointArchive.open(p)) {
                rows.add(row(p, a, ContainerMetadataReader.read(a)));
            } catch (RuntimeException e) {
                // one bad archive must not hide the others: report it and go on
                spec.commandLine().getErr().println("stasis: " + named(p, dev.stasis.cli.support.Errors.oneLine(e)));
                failed++;
            }
        }
        if (rows.isEmpty()) return dev.stasis.cli.support.Errors.FAILURE;
        if (json) {
            Map<String, Object> doc = Json.document("show", 1);
            doc.put("checkpoints", rows);
            Json.print(doc);
            return failed > 0 ? dev.stasis.cli.support.Errors.FAILURE : 0;
        }
        Table.print(wide ? wideTable(rows) : narrowTable(rows), System.out);
        return failed > 0 ? dev.stasis.cli.support.Errors.FAILURE : 0;
    }

    /** "PATH: message", or "PATH is not ..." when the message starts by naming the file already. */
    static String named(Path p, String message) {
        if (message.startsWith(p + " ")) return message;
        String name = p.getFileName().toString();
        return message.startsWith(name + " ") ? p + message.substring(name.length()) : p + ": " + message;
    }

    /** What a reader compares archives by, in a 120-column terminal; the rest is in --wide and json. */
    private static List<String[]> narrowTable(List<Map<String, Object>> rows) {
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"ARCHIVE", "CONTAINER", "IMAGE", "POD", "CREATED (UTC)", "SIZE"});
        for (Map<String, Object> r : rows) {
            String pod = r.get("pod_name") == null ? "-" : r.get("kubernetes_namespace") == null ? str(r.get("pod_name"))
                    : r.get("kubernetes_namespace") + "/" + r.get("pod_name");
            table.add(new String[] {Path.of(str(r.get("archive"))).getFileName().toString(), str(r.get("container_name")),
                    shortImage(str(r.get("image"))), pod, minute(str(r.get("created"))), Formats.bytes((Long) r.get("checkpoint_size"))});
        }
        return table;
    }

    private static List<String[]> wideTable(List<Map<String, Object>> rows) {
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"ARCHIVE", "CONTAINER", "IMAGE", "ID", "RUNTIME", "CREATED", "ENGINE", "POD", "NAMESPACE", "COMPRESSION", "CHKPT SIZE", "ROOT FS DIFF SIZE"});
        for (Map<String, Object> r : rows) {
            String id = String.valueOf(r.get("id"));
            table.add(new String[] {str(r.get("archive")), str(r.get("container_name")), str(r.get("image")), id.length() > 12 ? id.substring(0, 12) : id,
                    str(r.get("runtime")), str(r.get("created")), str(r.get("engine")), str(r.get("pod_name")), str(r.get("kubernetes_namespace")),
                    str(r.get("compression")), Formats.bytes((Long) r.get("checkpoint_size")), Formats.bytes((Long) r.get("root_fs_diff_size"))});
        }
        return table;
    }

    /** "docker.io/library/nginx:1.27" reads as "nginx:1.27", as docker and podman print it. */
    static String shortImage(String image) {
        for (String prefix : List.of("docker.io/library/", "docker.io/", "localhost/")) {
            if (image.startsWith(prefix)) return image.substring(prefix.length());
        }
        return image;
    }

    /** "2026-11-29T04:45:38Z" as "2026-11-29 04:45". */
    static String minute(String rfc3339) {
        return rfc3339.length() >= 16 && rfc3339.charAt(10) == 'T' ? rfc3339.substring(0, 10) + " " + rfc3339.substring(11, 16) : rfc3339;
    }


    static Map<String, Object> row(Path p, CheckpointArchive a, Container c) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("archive", p.toString());
        r.put("container_name", c.name());
        r.put("kubernetes_container", c.containerName());
        r.put("image", c.imageName());
        r.put("id", c.id());
        r.put("runtime", c.runtime());
        r.put("created", Formats.rfc3339(c.created()));
        r.put("checkpointed", Formats.rfc3339(c.checkpointed()));
        r.put("engine", c.engine().display());
        r.put("pod_name", c.podName());
        r.put("kubernetes_namespace", c.namespace());
        r.put("compression", a.compression().name().toLowerCase());
        r.put("checkpoint_size", c.sizes().total());
        r.put("root_fs_diff_size", c.sizes().rootfsDiff());
        r.put("archive_file_size", c.sizes().archiveFile());
        return r;
    }

    static String str(Object o) {
        return o == null ? "-" : o.toString();
    }
}
