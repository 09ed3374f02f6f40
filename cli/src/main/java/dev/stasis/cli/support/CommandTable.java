package dev.stasis.cli.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;

/**
 * What the launcher needs to know about every top-level command, in one place
 * ({@code Main} holds the rows): whether the background JVM serves it, the JVM
 * flags it starts with when it runs in a JVM of its own, and the runs of it the
 * AOT cache and the background JVM's warm-up play. The launcher's lists
 * ({@code .mvn/stasis-jvm.sh}) and the Perl client's constants
 * ({@code .mvn/stasis-client.pl}) are generated from this table and
 * {@code daemon.DaemonProtocol}; {@code LauncherScriptsTest} fails when they are
 * stale and rewrites them with {@code -Dstasis.regenerate=true}.
 */
public final class CommandTable {
    /**
     * The variables a client sends with a served command: the only ones a served command
     * may read (through {@link Invocation}). Those that the JVM reads once for good (the time
     * zone, the locale, PATH for the tools it runs, the umask) key the background JVM instead.
     */
    public static final List<String> PASSED_ENV = List.of("NO_COLOR", "TERM", "COLUMNS");

    /** The JVM flags a command starts with in a JVM of its own. */
    public enum Jvm {
        /**
         * Short commands (read an archive, print, exit) finish before the optimising compiler
         * would pay for itself: C1 alone starts them about a third faster.
         */
        SHORT("-XX:TieredStopAtLevel=1"),
        /**
         * A capture replay is one hot loop over millions of events, and a small young generation keeps
         * the reused buffers in cache (bench/capture.sh: peak RSS 200 -> 111 MB for 10M events). C1
         * alone: on a filtered read of 1M events the optimising compiler's work never pays for itself
         * (1M, last filter of bench/capture.sh, quiet machine: 0.54 CPU s / 0.41 s wall with C1 alone, 0.85 / 0.51 with C2),
         * and on 10M it buys wall time with CPU (1.43 CPU s / 1.29 s wall with C1, 1.62 / 1.00 with C2).
         * Default compile thresholds: four times higher ones (tried under load 10-16, where CPU was
         * scarce) cost 0.04-0.1 s of wall time on a quiet machine for the same CPU.
         * Printing every event of 10M costs about a third more CPU without C2; the background JVM keeps it.
         */
        REPLAY("-XX:TieredStopAtLevel=1 -Xmn16m"),
        /** Long-running ones (analysis, searches, the servers) keep C2. */
        LONG("");

        private final String flags;

        Jvm(String flags) {
            this.flags = flags;
        }

        public String flags() {
            return flags;
        }
    }

    /**
     * One command.
     *
     * @param command the picocli command class
     * @param served whether the background JVM runs it
     * @param notServed its subcommands the background JVM does not run (they record, or wait on a terminal)
     * @param jvm its flags in a JVM of its own
     * @param training its runs for the AOT cache and the warm-up (the arguments after its name), with {@code {tar}}, {@code {zst}}, {@code {gz}}
     *     (the bundled irc-bot and fileless-miner checkpoints), {@code {scap}} (a bundled capture),
     *     {@code {checkpoints}}, {@code {root}} and {@code {scratch}} (a temporary directory) to fill in
     * @param subcommands its subcommands when they are listed here rather than in its {@code @Command}
     *     annotation, in help order: a command line that names one of them builds only that one
     *     ({@link #subcommandsFor})
     * @param ownCache whether it starts from an AOT cache of its own, recorded from its training runs alone
     *     ({@link #ownAotCache()})
     */
    public record Row(Class<?> command, boolean served, Set<String> notServed, Jvm jvm, List<List<String>> training,
            List<Class<?>> subcommands, boolean ownCache) {
        public Row {
            notServed = Set.copyOf(notServed);
            List<List<String>> copies = new ArrayList<>(training.size());
            for (List<String> run : training) copies.add(List.copyOf(run));
            training = List.copyOf(copies);
            subcommands = List.copyOf(subcommands);
        }

        /** A command that runs in a JVM of its own with these flags. */
        public static Row of(Class<?> command, Jvm jvm) {
            return new Row(command, false, Set.of(), jvm, List.of(), List.of(), false);
        }

        /** Also run by the background JVM, all but {@code except} of its subcommands. */
        public Row serve(String... except) {
            return new Row(command, true, Set.of(except), jvm, training, subcommands, ownCache);
        }

        /**
         * With these subcommands (in help order), which its annotation then does not list. picocli
         * builds the whole model of every subcommand it is given, reflecting over each option: a
         * command line that names one gets only that one (a capture read starts about a tenth of a
         * second sooner without the seven others).
         */
        public Row subcommands(Class<?>... commands) {
            return new Row(command, served, notServed, jvm, training, Arrays.asList(commands), ownCache);
        }

        /**
         * The subcommands to build for a command line whose word after this command is {@code next}
         * (null when there is none): only the one it names, else all (help, an unknown name, an option).
         */
        public List<Class<?>> subcommandsFor(String next) {
            if (next != null) {
                for (Class<?> c : subcommands) if (names(c).contains(next)) return List.of(c);
            }
            return subcommands;
        }

        /**
         * Started, in a JVM of its own, from an AOT cache recorded from this command's training runs
         * alone rather than from the cache of every command's. The JVM maps and links every class of a
         * cache before {@code main}, and the whole table's (5,100 classes, 49 MB) takes about 85 ms longer
         * to do so than the capture commands' own (1,800 classes, 18 MB): a read of the bundled capture
         * went from 0.62 to 0.44 CPU seconds, {@code inspect} of the irc-bot checkpoint from 0.53 to 0.46.
         * For the commands whose own JVM races a native tool (sysdig, checkpointctl); the background
         * JVM serves every command and keeps the shared cache.
         */
        public Row ownAotCache() {
            return new Row(command, served, notServed, jvm, training, subcommands, true);
        }

        /**
         * With one more training run: the command's arguments after its name. (The name is put in
         * front when the runs are played: reading it here would read every command's annotations
         * at each start.)
         */
        public Row training(String... args) {
            List<List<String>> runs = new ArrayList<>(training);
            runs.add(Arrays.asList(args));
            return new Row(command, served, notServed, jvm, runs, subcommands, ownCache);
        }

        public String name() {
            return annotation(command).name();
        }

        /** The name and its aliases. */
        public List<String> names() {
            return names(command);
        }

        private static List<String> names(Class<?> command) {
            List<String> names = new ArrayList<>(List.of(annotation(command).name()));
            names.addAll(Arrays.asList(annotation(command).aliases()));
            return names;
        }

        private static Command annotation(Class<?> command) {
            Command c = command.getAnnotation(Command.class);
            if (c == null) throw new IllegalArgumentException(command + " is not a picocli command");
            return c;
        }
    }

    private final Jvm root;
    private final List<Row> rows;

    /**
     * @param root the flags of {@code stasis} run without a command ({@code --help}, {@code --version})
     * @param rows the commands, in the order {@code stasis --help} lists them
     */
    public CommandTable(Jvm root, List<Row> rows) {
        for (Row r : rows) {
            // a cache recorded from no runs would hold the JVM's own classes and none of the command's
            if (r.ownCache() && r.training().isEmpty()) throw new IllegalArgumentException(r.name() + " has an AOT cache of its own but no training runs");
        }
        this.root = root;
        this.rows = List.copyOf(rows);
    }

    public Jvm root() {
        return root;
    }

    public List<Row> rows() {
        return rows;
    }

    /** The row of the command with this name or alias. */
    public Optional<Row> row(String name) {
        for (Row r : rows) if (r.names().contains(name)) return Optional.of(r);
        return Optional.empty();
    }

    /**
     * Whether the background JVM runs this command line: its command is served, its
     * subcommand is not one of the exceptions, and no argument is {@code -} (standard input).
     */
    public boolean served(String[] args) {
        if (args.length == 0) return false;
        Optional<Row> row = row(args[0]);
        if (row.isEmpty() || !row.get().served()) return false;
        if (args.length > 1 && row.get().notServed().contains(args[1])) return false;
        for (String a : args) if (a.equals("-")) return false;
        return true;
    }

    /** Every training run with its placeholders filled in, in table order. */
    public List<String[]> trainingRuns(Path root, Path scratch) {
        return trainingRuns(root, scratch, rows);
    }

    /** The training runs of one command (the runs its own AOT cache is recorded from). */
    public List<String[]> trainingRuns(Path root, Path scratch, Row only) {
        return trainingRuns(root, scratch, List.of(only));
    }

    private static List<String[]> trainingRuns(Path root, Path scratch, List<Row> rows) {
        Path checkpoints = root.resolve("testdata/checkpoints");
        Map<String, String> values = Map.of(
                "{tar}", checkpoints.resolve("irc-bot.tar").toString(),
                "{zst}", checkpoints.resolve("irc-bot.tar.zst").toString(),
                "{gz}", checkpoints.resolve("fileless-miner.tar.gz").toString(),
                "{scap}", root.resolve("testdata/captures/falco_run_as_user_0_container.scap").toString(),
                "{checkpoints}", checkpoints.toString(),
                "{root}", root.toString(),
                "{scratch}", scratch.toString());
        List<String[]> runs = new ArrayList<>();
        for (Row r : rows) {
            for (List<String> run : r.training()) {
                List<String> args = new ArrayList<>(List.of(r.name()));
                for (String a : run) {
                    String filled = a;
                    for (var e : values.entrySet()) filled = filled.replace(e.getKey(), e.getValue());
                    args.add(filled);
                }
                runs.add(args.toArray(String[]::new));
            }
        }
        return runs;
    }
}
