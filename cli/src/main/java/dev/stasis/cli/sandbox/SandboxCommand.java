package dev.stasis.cli.sandbox;

import dev.stasis.cli.support.Errors;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code stasis sandbox}: bring a checkpoint back to life in a cage. Each subcommand is one
 * class in this package; a new one is one more entry in {@code subcommands}.
 */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = {"Restore a checkpoint in a cage.",
                "Checkpoint images for the runtimes, hardened Kubernetes restore manifests, local restore with a sinkhole."},
        subcommands = {
                SandboxImageCommand.class,
                SandboxManifestCommand.class,
                SandboxRunCommand.class,
                SandboxCleanupCommand.class,
        })
public final class SandboxCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw Errors.missingCommand(spec);
    }
}
