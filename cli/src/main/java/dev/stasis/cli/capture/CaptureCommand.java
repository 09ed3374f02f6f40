package dev.stasis.cli.capture;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code stasis capture ...}: read and analyse syscall captures (.scap). */
@Command(name = "capture", mixinStandardHelpOptions = true,
        description = "Read and analyse syscall captures (.scap, plain or gzip), as sysdig -r and Stratoshark do; record them without a kernel driver (record).",
        subcommands = {
            CaptureInfoCommand.class,
            CaptureEventsCommand.class,
            CaptureStatsCommand.class,
            CaptureConversationsCommand.class,
            CaptureFollowCommand.class,
            CaptureTimelineCommand.class,
            CaptureRulesCommand.class,
            CaptureRecordCommand.class,
        })
public final class CaptureCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw dev.stasis.cli.support.Errors.missingCommand(spec);
    }
}
