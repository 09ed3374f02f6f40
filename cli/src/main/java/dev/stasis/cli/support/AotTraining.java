package dev.stasis.cli.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A hidden command the launcher runs once per build with the JDK's AOT cache
 * recording. The cache keeps every class that this run loads and links, so the
 * run goes through the same picocli wiring as a user's command and plays the
 * common commands on the bundled examples: whatever it does not touch is loaded
 * from the jars (and verified) on each real start. Output goes nowhere. The runs
 * are each command's row of the command table ({@link CommandTable}).
 */
@Command(name = "aot-training", hidden = true, description = "Internal: start-up training run for the AOT cache.")
public final class AotTraining implements Callable<Integer> {
    @Parameters(index = "0", description = "project root")
    Path root;

    @Option(names = "--only", paramLabel = "COMMAND",
            description = "play only this command's runs (for the AOT cache of its own, CommandTable.Row.ownAotCache)")
    String only;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        CommandTree tree = CommandTree.of(spec);
        if (only == null) {
            play(root, tree, args -> true, Runnable::run);
            return 0;
        }
        CommandTable.Row row = tree.table().row(only)
                .orElseThrow(() -> new IllegalArgumentException("no command named " + only));
        playRuns(root, scratch -> tree.table().trainingRuns(root, scratch, row), tree, args -> true, Runnable::run);
        return 0;
    }

    /**
     * Plays the common commands on the bundled examples of the project at
     * {@code root} (nothing when they are not there), those that {@code which}
     * accepts, each with its output discarded and run by {@code runner}; the
     * background JVM uses this to compile its hot code before a user waits on
     * it, each command in a turn of its own.
     */
    public static void play(Path root, CommandTree tree, Predicate<String[]> which, Consumer<Runnable> runner) throws IOException {
        playRuns(root, scratch -> {
            List<String[]> runs = new ArrayList<>();
            runs.add(new String[] {"--help"});
            runs.addAll(tree.table().trainingRuns(root, scratch));
            return runs;
        }, tree, which, runner);
    }

    private static void playRuns(Path root, Function<Path, List<String[]>> runsIn, CommandTree tree,
            Predicate<String[]> which, Consumer<Runnable> runner) throws IOException {
        Path checkpoints = root.resolve("testdata/checkpoints");
        if (!Files.isDirectory(checkpoints)) return;
        Path scratch = Files.createTempDirectory("stasis-aot-");
        try {
            for (String[] args : runsIn.apply(scratch)) {
                if (which.test(args)) runner.accept(() -> quietly(tree, args));
            }
        } finally {
            deleteTree(scratch);
        }
    }

    /** Runs one command with stdout and stderr discarded; a failure only means less is cached. */
    private static void quietly(CommandTree tree, String[] args) {
        PrintStream out = System.out, err = System.err;
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(nowhere);
        System.setErr(nowhere);
        try {
            CommandLine cl = tree.build(args);
            cl.setOut(new java.io.PrintWriter(nowhere));
            cl.setErr(new java.io.PrintWriter(nowhere));
            cl.execute(args);
        } catch (RuntimeException | LinkageError e) {
            // training is best effort
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
