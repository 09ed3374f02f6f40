package dev.stasis.cli;

import dev.stasis.cli.analysis.AnalyzeCommand;
import dev.stasis.cli.analysis.DiffCommand;
import dev.stasis.cli.capture.CaptureCommand;
import dev.stasis.cli.capture.CaptureConversationsCommand;
import dev.stasis.cli.capture.CaptureEventsCommand;
import dev.stasis.cli.capture.CaptureFollowCommand;
import dev.stasis.cli.capture.CaptureInfoCommand;
import dev.stasis.cli.capture.CaptureRecordCommand;
import dev.stasis.cli.capture.CaptureRulesCommand;
import dev.stasis.cli.capture.CaptureStatsCommand;
import dev.stasis.cli.capture.CaptureTimelineCommand;
import dev.stasis.cli.checkpoint.CritCommand;
import dev.stasis.cli.checkpoint.ExtractCommand;
import dev.stasis.cli.checkpoint.InspectCommand;
import dev.stasis.cli.checkpoint.ListCommand;
import dev.stasis.cli.checkpoint.ShowCommand;
import dev.stasis.cli.daemon.DaemonCommand;
import dev.stasis.cli.evidence.CaseCommand;
import dev.stasis.cli.evidence.EvidenceCommand;
import dev.stasis.cli.evidence.UiCommand;
import dev.stasis.cli.memory.CoredumpCommand;
import dev.stasis.cli.memory.MemoryCommand;
import dev.stasis.cli.response.AgentCommand;
import dev.stasis.cli.response.ActCommand;
import dev.stasis.cli.response.PolicyCommand;
import dev.stasis.cli.response.ServeCommand;
import dev.stasis.cli.sandbox.SandboxCommand;
import dev.stasis.cli.support.AotTraining;
import dev.stasis.cli.support.CommandTable;
import dev.stasis.cli.support.CommandTable.Jvm;
import dev.stasis.cli.support.CommandTable.Row;
import dev.stasis.cli.support.CommandTree;
import dev.stasis.cli.support.Errors;
import dev.stasis.cli.support.HelpLayout;
import dev.stasis.cli.support.Invocation;
import dev.stasis.cli.support.ManCommand;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code stasis} command. This is the one place where the
 * commands are wired together; each command lives in the package of the
 * capability it fronts and stays thin over that capability's module.
 */
@Command(name = "stasis", mixinStandardHelpOptions = true, version = "stasis 0.1.0",
        description = "Kubernetes container forensics: checkpoint, preserve, analyse.")
public final class Main implements Runnable, CommandTree {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw dev.stasis.cli.support.Errors.missingCommand(spec);
    }

    /**
     * Every command, in the order {@code stasis --help} lists them, with what the launcher
     * needs to know about it (support.CommandTable): adding a command is adding its row here.
     */
    static final CommandTable TABLE = new CommandTable(Jvm.SHORT, List.of(
            Row.of(AnalyzeCommand.class, Jvm.LONG).serve()
                    .training("{zst}", "-q", "-o", "{scratch}/report.html")
                    .training("{zst}", "-q", "--format", "json", "-o", "{scratch}/report.json"),
            Row.of(InspectCommand.class, Jvm.SHORT).serve().ownAotCache()
                    .training("--all", "--format", "json", "{tar}").training("--all", "{tar}")
                    .training("--all", "--format", "json", "{zst}").training("--all", "{zst}")
                    .training("--all", "--format", "json", "{gz}").training("--all", "{gz}"),
            Row.of(ShowCommand.class, Jvm.SHORT).serve().training("{tar}", "{zst}", "{gz}"),
            Row.of(ListCommand.class, Jvm.SHORT).serve().training("{checkpoints}"),
            Row.of(ExtractCommand.class, Jvm.SHORT).serve().training("{gz}", "--list"),
            Row.of(CritCommand.class, Jvm.SHORT).serve()
                    .training("x", "{tar}", "ps").training("x", "{tar}", "fds").training("x", "{tar}", "mems")
                    .training("decode", "-i", "{zst}", "-o", "{scratch}/crit-json"),
            Row.of(MemoryCommand.class, Jvm.LONG).serve()
                    .training("{tar}").training("maps", "{tar}", "--pid", "1")
                    .training("search", "{tar}", "--text", "PRIVMSG", "--format", "json")
                    .training("search", "{zst}", "--regex", "NICK [a-z]+")
                    .training("strings", "{tar}", "--pid", "1", "--min-len", "12")
                    .training("artefacts", "{gz}", "--format", "json"),
            Row.of(CoredumpCommand.class, Jvm.SHORT).serve().training("{tar}", "--pid", "1", "-o", "{scratch}/core"),
            Row.of(DiffCommand.class, Jvm.LONG).serve(),
            // record traces live processes until Ctrl-C: in a JVM of its own, with its terminal
            Row.of(CaptureCommand.class, Jvm.REPLAY).serve("record").ownAotCache()
                    .subcommands(CaptureInfoCommand.class, CaptureEventsCommand.class, CaptureStatsCommand.class,
                            CaptureConversationsCommand.class, CaptureFollowCommand.class, CaptureTimelineCommand.class,
                            CaptureRulesCommand.class, CaptureRecordCommand.class)
                    .training("info", "{scap}").training("events", "{scap}", "evt.type=execve").training("stats", "{scap}")
                    // the shapes of filter a reader types (fields of each kind, and/or, in, -p): their classes linked in the cache
                    .training("events", "{scap}", "proc.name=bash and evt.dir=<", "-p", "%evt.num %proc.name %fd.name")
                    .training("events", "{scap}", "fd.typechar=f and evt.type in (open, openat, read, write)"
                            + " or (fd.type=ipv4 and evt.type=connect)", "-p", "%evt.num"),
            Row.of(EvidenceCommand.class, Jvm.LONG),
            Row.of(CaseCommand.class, Jvm.SHORT),
            Row.of(UiCommand.class, Jvm.LONG),
            Row.of(ServeCommand.class, Jvm.LONG),
            Row.of(AgentCommand.class, Jvm.LONG),
            Row.of(PolicyCommand.class, Jvm.SHORT).serve().training("check", "{root}/response/examples/policy.yaml"),
            Row.of(ActCommand.class, Jvm.SHORT),
            Row.of(SandboxCommand.class, Jvm.LONG),
            Row.of(AotTraining.class, Jvm.LONG),
            Row.of(DaemonCommand.class, Jvm.LONG),
            Row.of(CommandLine.HelpCommand.class, Jvm.SHORT),
            Row.of(ManCommand.class, Jvm.SHORT),
            Row.of(picocli.AutoComplete.GenerateCompletion.class, Jvm.SHORT)));

    /** Commands that speak about the others, so they need the whole tree. */
    private static final List<Class<?>> ABOUT_OTHERS = List.of(CommandLine.HelpCommand.class, picocli.AutoComplete.GenerateCompletion.class, ManCommand.class);

    /** aot-training and the background JVM build the commands they run through this (support.CommandTree). */
    @Override
    public CommandLine build(String[] args) {
        return commandLine(args);
    }

    @Override
    public CommandTable table() {
        return TABLE;
    }

    /** The command table (the launcher scripts are generated from it). */
    public static CommandTable commandTable() {
        return TABLE;
    }

    /** Builds the full command line with stasis's error handling; tests use this too. */
    public static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * Builds the command line for these arguments. picocli reads every option
     * of every command it is given, which costs a noticeable part of a
     * second at start-up; when the first argument names a command, only that
     * command's tree is built. Help and unknown commands get the full tree.
     */
    public static CommandLine commandLine(String[] args) {
        CommandLine cl = new CommandLine(new Main());
        Class<?> only = args.length > 0 ? commandNamed(args[0]) : null;
        if (only != null && ABOUT_OTHERS.contains(only)) only = null;
        for (Row row : TABLE.rows()) {
            if (only == null || only == row.command()) {
                cl.addSubcommand(row.command());
                if (row.subcommands().isEmpty()) continue;
                CommandLine command = cl.getSubcommands().get(row.name());
                for (Class<?> sub : row.subcommandsFor(only != null && args.length > 1 ? args[1] : null)) command.addSubcommand(sub);
            }
        }
        // relative paths are the user's directory's, which a served command's JVM does not work in
        cl.registerConverter(Path.class, typed -> Invocation.current().resolve(typed));
        cl.setExecutionExceptionHandler(Errors::handleExecutionException);
        cl.setParameterExceptionHandler(Errors::handleParameterException);
        HelpLayout.apply(cl);
        // picocli colours help on a terminal whatever TERM says, and a served command has no terminal to ask
        if (!Invocation.current().colour()) cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        return cl;
    }

    private static Class<?> commandNamed(String name) {
        return TABLE.row(name).map(Row::command).orElse(null);
    }

    static {
        // picocli looks for Groovy closures unless told not to, and a class that is not on
        // the class path costs a scan of every jar: a tenth of a second of each start.
        System.setProperty("picocli.disable.closures", "true");
    }

    public static void main(String[] args) {
        int status = commandLine(args).execute(args);
        // System.exit first asks the JDK's logging service whether to log the exit, and looking that
        // service up opens every jar on the class path: 10-15 ms of a 0.35 s command. Returning from
        // main ends the JVM the same way (shutdown hooks included) once no other thread keeps it alive.
        if (status != 0 || otherThreadsKeepRunning()) System.exit(status);
    }

    private static boolean otherThreadsKeepRunning() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) root = root.getParent();
        Thread[] threads = new Thread[root.activeCount() + 8];
        int n = root.enumerate(threads, true);
        for (int i = 0; i < n; i++) {
            Thread t = threads[i];
            if (t != Thread.currentThread() && !t.isDaemon() && t.isAlive()) return true;
        }
        return n == threads.length; // more threads than room to list them: do not guess
    }
}
