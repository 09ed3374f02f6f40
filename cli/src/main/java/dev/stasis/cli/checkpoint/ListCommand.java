package dev.stasis.cli.checkpoint;

import dev.stasis.cli.support.OutputFormat;
import dev.stasis.cli.support.FormatOption;
import picocli.CommandLine.Mixin;
import dev.stasis.checkpoint.archive.CheckpointArchive;
import dev.stasis.checkpoint.container.ContainerMetadataReader;
import dev.stasis.checkpoint.model.Container;
import dev.stasis.cli.checkpoint.inspect.Formats;
import dev.stasis.cli.support.Errors;
import dev.stasis.cli.support.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stasis list}: the checkpoint archives in kubelet checkpoint directories
 * ({@code /var/lib/kubelet/checkpoints} by default). Every regular file that sniffs as an archive
 * is listed, whatever its name; one that cannot be read is reported on stderr and skipped.
 */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List checkpoint archives in kubelet checkpoint directories.")
public final class ListCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    static final Path DEFAULT_DIR = Path.of("/var/lib/kubelet/checkpoints");

    @Parameters(arity = "0..*", paramLabel = "DIR", description = "directories to list (default: " + "/var/lib/kubelet/checkpoints" + ")")
    List<Path> dirs;

    @Mixin FormatOption format = FormatOption.of("table or json (default: ${DEFAULT-VALUE})", OutputFormat.TABLE, OutputFormat.JSON);

    @Override
    public Integer call() throws IOException {
        boolean json = format.json();
        List<Path> roots = dirs == null || dirs.isEmpty() ? List.of(DEFAULT_DIR) : dirs;
        List<Map<String, Object>> rows = new ArrayList<>();
        int failed = 0;
        for (Path dir : roots) {
            if (!Files.isDirectory(dir)) {
                spec.commandLine().getErr().println("stasis: not a directory: " + dir);
                failed++;
                continue;
            }
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
            }
            for (Path f : files) {
                try {
                    CheckpointArchive.sniff(f);
                } catch (RuntimeException | IOException notAnArchive) {
                    continue;
                }
                try (CheckpointArchive a = CheckpointArchive.open(f)) {
                    Container c = ContainerMetadataReader.read(a);
                    Map<String, Object> row = ShowCommand.row(f, a, c);
                    KubeletName.parse(f.getFileName().toString()).ifPresent(k -> {
                        row.putIfAbsent("pod_name", k.pod());
                        if (row.get("pod_name") == null) row.put("pod_name", k.pod());
                        if (row.get("kubernetes_namespace") == null) row.put("kubernetes_namespace", k.namespace());
                    });
                    row.put("container", c.containerName() != null ? c.containerName() : c.name());
                    rows.add(row);
                } catch (RuntimeException e) {
                    spec.commandLine().getErr().println("stasis: " + ShowCommand.named(f, Errors.oneLine(e)));
                    failed++;
                }
            }
        }
        if (json) {
            Map<String, Object> doc = Json.document("list", 1);
            doc.put("directories", roots.stream().map(Path::toString).toList());
            doc.put("checkpoints", rows);
            Json.print(doc);
        } else if (rows.isEmpty()) {
            System.out.println("No checkpoints found in " + roots);
        } else {
            List<String[]> table = new ArrayList<>();
            table.add(new String[] {"NAMESPACE", "POD", "CONTAINER", "ENGINE", "TIME CHECKPOINTED", "SIZE", "CHECKPOINT NAME"});
            for (Map<String, Object> r : rows) {
                table.add(new String[] {ShowCommand.str(r.get("kubernetes_namespace")), ShowCommand.str(r.get("pod_name")),
                        ShowCommand.str(r.get("container")), ShowCommand.str(r.get("engine")), ShowCommand.str(r.get("checkpointed")),
                        Formats.bytes((Long) r.get("archive_file_size")), Path.of(r.get("archive").toString()).getFileName().toString()});
            }
            Table.print(table, System.out);
        }
        return failed > 0 && rows.isEmpty() ? Errors.FAILURE : 0;
    }
}
