package dev.stasis.cli.capture;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code stasis capture ...}: read and analyse syscall captures (.scap). Its subcommands are
 * listed in its row of the command table ({@code Main}), which builds only the one a command
 * line names.
 */
@Command(name = "capture", mixinStandardHelpOptions = true,
        description = "Read and analyse syscall captures (.scap, plain or gzip), as sysdig -r and Stratoshark do; record them without a kernel driver (record).")
public final class CaptureCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw dev.stasis.cli.support.Errors.missingCommand(spec);
    }
}
