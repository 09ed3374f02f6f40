package dev.stasis.cli.checkpoint;

import dev.stasis.cli.support.OutputFormat;
import dev.stasis.cli.support.FormatOption;
import picocli.CommandLine.Mixin;
import dev.stasis.checkpoint.Checkpoint;
import dev.stasis.cli.checkpoint.inspect.InspectJson;
import dev.stasis.cli.checkpoint.inspect.InspectOptions;
import dev.stasis.cli.checkpoint.inspect.InspectTree;
import dev.stasis.cli.support.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stasis inspect}: checkpointctl's inspect, same flags and JSON keys, with more in every
 * view and robust where checkpointctl aborts (rewritten argument areas, zombies).
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Inspect checkpoint archives (checkpointctl-compatible JSON).",
                "The JSON is an array with one object per archive, using checkpointctl's keys; --all adds stasis's own keys",
                "(credentials, exe, namespaces, TCP queues, rootfs diff with sha256, deleted files, logs)."})
public final class InspectCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "ARCHIVE", description = "checkpoint archives or directories")
    List<Path> archives;

    @Option(names = "--ps-tree", description = "show the process tree") boolean psTree;
    @Option(names = "--ps-tree-cmd", description = "process tree with command lines read from memory") boolean psTreeCmd;
    @Option(names = "--ps-tree-env", description = "process tree with environments read from memory") boolean psTreeEnv;
    @Option(names = "--files", description = "open file descriptors per process") boolean files;
    @Option(names = "--sockets", description = "open sockets per process") boolean sockets;
    @Option(names = "--mounts", description = "mounts from the OCI spec") boolean mounts;
    @Option(names = "--stats", description = "CRIU dump statistics") boolean stats;
    @Option(names = "--metadata", description = "pod, namespace and annotations") boolean metadata;
    @Option(names = {"-p", "--pid"}, description = "show the process tree from this PID") Integer pid;
    @Option(names = "--all", description = "everything, including stasis's extra keys") boolean all;
    @Option(names = "--show-secrets", description = "print secret environment values in clear (masked by default, as analyze does)")
    boolean showSecrets;
    @Mixin FormatOption format = FormatOption.of("tree or json (default: ${DEFAULT-VALUE})", OutputFormat.TREE, OutputFormat.JSON);

    @Override
    public Integer call() {
        String f = format.get().name().toLowerCase(java.util.Locale.ROOT);
        InspectOptions o = all ? new InspectOptions(true, true, true, true, true, true, true, true, true, pid, showSecrets)
                : new InspectOptions(psTree, psTreeCmd, psTreeEnv, files, sockets, mounts, stats, metadata, false, pid, showSecrets);
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (Path p : archives) {
            try (Checkpoint cp = Checkpoint.open(p)) {
                Map<String, Object> node = InspectJson.build(cp, o);
                if (f.equals("tree")) {
                    node.putIfAbsent("archive", p.toString());
                    InspectTree.print(node, System.out);
                } else {
                    nodes.add(node);
                }
            } catch (RuntimeException e) {
                throw new IllegalStateException(ShowCommand.named(p, dev.stasis.cli.support.Errors.oneLine(e)), e);
            }
        }
        if (f.equals("json")) Json.print(nodes);
        return 0;
    }
}
