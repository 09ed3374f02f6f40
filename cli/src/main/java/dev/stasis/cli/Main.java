package dev.stasis.cli;

import dev.stasis.cli.analysis.AnalyzeCommand;
import dev.stasis.cli.analysis.DiffCommand;
import dev.stasis.cli.capture.CaptureCommand;
import dev.stasis.cli.checkpoint.CritCommand;
import dev.stasis.cli.checkpoint.ExtractCommand;
import dev.stasis.cli.checkpoint.InspectCommand;
import dev.stasis.cli.checkpoint.ListCommand;
import dev.stasis.cli.checkpoint.ShowCommand;
import dev.stasis.cli.evidence.CaseCommand;
import dev.stasis.cli.evidence.EvidenceCommand;
import dev.stasis.cli.memory.CoredumpCommand;
import dev.stasis.cli.memory.MemoryCommand;
import dev.stasis.cli.response.AgentCommand;
import dev.stasis.cli.response.PolicyCommand;
import dev.stasis.cli.response.ServeCommand;
import dev.stasis.cli.support.AotTraining;
import dev.stasis.cli.support.Errors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code stasis} command. This is the one place where the
 * commands are wired together; each command lives in the package of the
 * capability it fronts and stays thin over that capability's module.
 */
@Command(name = "stasis", mixinStandardHelpOptions = true, version = "stasis 0.1.0",
        description = "Kubernetes container forensics: checkpoint, preserve, analyse.",
        subcommands = {
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
                AotTraining.class,
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Builds the command line with stasis's error handling; tests use this too. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(Errors::handleExecutionException);
        cl.setParameterExceptionHandler(Errors::handleParameterException);
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
