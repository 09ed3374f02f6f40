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
import java.util.function.Predicate;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A hidden command the launcher runs once per build with the JDK's AOT cache
 * recording. The cache keeps every class that this run loads and links, so the
 * run goes through the same picocli wiring as a user's command and plays the
 * common commands on the bundled examples: whatever it does not touch is loaded
 * from the jars (and verified) on each real start. Output goes nowhere.
 */
@Command(name = "aot-training", hidden = true, description = "Internal: start-up training run for the AOT cache.")
public final class AotTraining implements Callable<Integer> {
    @Parameters(index = "0", description = "project root")
    Path root;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        play(root, CommandTree.of(spec), args -> true, Runnable::run);
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
        Path checkpoints = root.resolve("testdata/checkpoints");
        Path captures = root.resolve("testdata/captures");
        if (!Files.isDirectory(checkpoints)) return;
        Path scratch = Files.createTempDirectory("stasis-aot-");
        try {
            for (String[] args : runs(root, checkpoints, captures, scratch)) {
                if (which.test(args)) runner.accept(() -> quietly(tree, args));
            }
        } finally {
            deleteTree(scratch);
        }
    }

    /** Each capability's common path, kept cheap (the whole run takes a few seconds once per build). */
    private static List<String[]> runs(Path root, Path checkpoints, Path captures, Path scratch) {
        String zst = checkpoints.resolve("irc-bot.tar.zst").toString();
        String tar = checkpoints.resolve("irc-bot.tar").toString();
        String gz = checkpoints.resolve("fileless-miner.tar.gz").toString();
        String scap = captures.resolve("falco_run_as_user_0_container.scap").toString();
        List<String[]> runs = new ArrayList<>();
        runs.add(new String[] {"--help"});
        for (String a : List.of(tar, zst, gz)) {
            runs.add(new String[] {"inspect", "--all", "--format", "json", a});
            runs.add(new String[] {"inspect", "--all", a});
        }
        runs.add(new String[] {"show", tar, zst, gz});
        runs.add(new String[] {"list", checkpoints.toString()});
        runs.add(new String[] {"extract", gz, "--list"});
        runs.add(new String[] {"crit", "x", tar, "ps"});
        runs.add(new String[] {"crit", "x", tar, "fds"});
        runs.add(new String[] {"crit", "x", tar, "mems"});
        runs.add(new String[] {"crit", "decode", "-i", zst, "-o", scratch.resolve("crit-json").toString()});
        runs.add(new String[] {"memory", tar});
        runs.add(new String[] {"memory", "maps", tar, "--pid", "1"});
        runs.add(new String[] {"memory", "search", tar, "--text", "PRIVMSG", "--format", "json"});
        runs.add(new String[] {"memory", "search", zst, "--regex", "NICK [a-z]+"});
        runs.add(new String[] {"memory", "strings", tar, "--pid", "1", "--min-len", "12"});
        runs.add(new String[] {"coredump", tar, "--pid", "1", "-o", scratch.resolve("core").toString()});
        runs.add(new String[] {"analyze", zst, "-q", "-o", scratch.resolve("report.html").toString()});
        runs.add(new String[] {"analyze", zst, "-q", "--format", "json", "-o", scratch.resolve("report.json").toString()});
        runs.add(new String[] {"capture", "info", scap});
        runs.add(new String[] {"capture", "events", scap, "evt.type=execve"});
        runs.add(new String[] {"capture", "stats", scap});
        runs.add(new String[] {"policy", "check", root.resolve("response/examples/policy.yaml").toString()});
        return runs;
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
