package dev.stasis.cli;

import dev.stasis.cli.analysis.AnalyzeCommand;
import dev.stasis.cli.analysis.DiffCommand;
import dev.stasis.cli.capture.CaptureCommand;
import dev.stasis.cli.checkpoint.CritCommand;
import dev.stasis.cli.checkpoint.ExtractCommand;
import dev.stasis.cli.checkpoint.InspectCommand;
import dev.stasis.cli.checkpoint.ListCommand;
import dev.stasis.cli.checkpoint.ShowCommand;
import dev.stasis.cli.daemon.DaemonCommand;
import dev.stasis.cli.evidence.CaseCommand;
import dev.stasis.cli.evidence.EvidenceCommand;
import dev.stasis.cli.memory.CoredumpCommand;
import dev.stasis.cli.memory.MemoryCommand;
import dev.stasis.cli.response.AgentCommand;
import dev.stasis.cli.response.PolicyCommand;
import dev.stasis.cli.response.ServeCommand;
import dev.stasis.cli.sandbox.SandboxCommand;
import dev.stasis.cli.support.AotTraining;
import dev.stasis.cli.support.CommandTree;
import dev.stasis.cli.support.Errors;
import dev.stasis.cli.support.HelpLayout;
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

    /** Every command, in the order {@code stasis --help} lists them. */
    static final List<Class<?>> COMMANDS = List.of(
            AnalyzeCommand.class,
            InspectCommand.class,
            ShowCommand.class,
            ListCommand.class,
            ExtractCommand.class,
            CritCommand.class,
            MemoryCommand.class,
            CoredumpCommand.class,
            DiffCommand.class,
            CaptureCommand.class,
            EvidenceCommand.class,
            CaseCommand.class,
            ServeCommand.class,
            AgentCommand.class,
            PolicyCommand.class,
            SandboxCommand.class,
            AotTraining.class,
            DaemonCommand.class,
            CommandLine.HelpCommand.class,
            picocli.AutoComplete.GenerateCompletion.class);

    /** Commands that speak about the others, so they need the whole tree. */
    private static final List<Class<?>> ABOUT_OTHERS = List.of(CommandLine.HelpCommand.class, picocli.AutoComplete.GenerateCompletion.class);

    /** aot-training and the background JVM build the commands they run through this (support.CommandTree). */
    @Override
    public CommandLine build(String[] args) {
        return commandLine(args);
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
        for (Class<?> command : COMMANDS) {
            if (only == null || only == command) cl.addSubcommand(command);
        }
        cl.setExecutionExceptionHandler(Errors::handleExecutionException);
        cl.setParameterExceptionHandler(Errors::handleParameterException);
        HelpLayout.apply(cl);
        return cl;
    }

    private static Class<?> commandNamed(String name) {
        for (Class<?> command : COMMANDS) {
            Command c = command.getAnnotation(Command.class);
            if (c != null && (c.name().equals(name) || List.of(c.aliases()).contains(name))) return command;
        }
        return null;
    }

    static {
        // picocli looks for Groovy closures unless told not to, and a class that is not on
        // the class path costs a scan of every jar: a tenth of a second of each start.
        System.setProperty("picocli.disable.closures", "true");
    }

    public static void main(String[] args) {
        System.exit(commandLine(args).execute(args));
    }
}
