package dev.stasis.cli.checkpoint;

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
@Command(name = "show", mixinStandardHelpOptions = true, description = "One line per checkpoint archive.")
public final class ShowCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "ARCHIVE") List<Path> archives;

    @Option(names = "--format", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE})") String format;

    @Override
    public Integer call() {
        boolean json = format.equalsIgnoreCase("json");
        if (!json && !format.equalsIgnoreCase("table")) throw new IllegalArgumentException("invalid output format: " + format + " (table or json)");
        List<Map<String, Object>> rows = new ArrayList<>();
        int failed = 0;
        for (Path p : archives) {
            try (CheckpointArchive a = CheckpointArchive.open(p)) {
                rows.add(row(p, a, ContainerMetadataReader.read(a)));
            } catch (RuntimeException e) {
                // one bad archive must not hide the others: report it and go on
                spec.commandLine().getErr().println("stasis: " + p + ": " + dev.stasis.cli.support.Errors.oneLine(e));
                failed++;
            }
        }
        if (rows.isEmpty()) return dev.stasis.cli.support.Errors.FAILURE;
        if (json) {
            Json.print(rows);
            return failed > 0 ? dev.stasis.cli.support.Errors.FAILURE : 0;
        }
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"ARCHIVE", "CONTAINER", "IMAGE", "ID", "RUNTIME", "CREATED", "ENGINE", "POD", "NAMESPACE", "COMPRESSION", "CHKPT SIZE", "ROOT FS DIFF SIZE"});
        for (Map<String, Object> r : rows) {
            String id = String.valueOf(r.get("id"));
            table.add(new String[] {str(r.get("archive")), str(r.get("container_name")), str(r.get("image")), id.length() > 12 ? id.substring(0, 12) : id,
                    str(r.get("runtime")), str(r.get("created")), str(r.get("engine")), str(r.get("pod_name")), str(r.get("kubernetes_namespace")),
                    str(r.get("compression")), Formats.bytes((Long) r.get("checkpoint_size")), Formats.bytes((Long) r.get("root_fs_diff_size"))});
        }
        Table.print(table, System.out);
        return failed > 0 ? dev.stasis.cli.support.Errors.FAILURE : 0;
    }

    static Map<String, Object> row(Path p, CheckpointArchive a, Container c) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("archive", p.toString());
        r.put("container_name", c.name());
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
