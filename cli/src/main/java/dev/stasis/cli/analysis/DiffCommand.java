package dev.stasis.cli.analysis;

import dev.stasis.cli.support.OutputFormat;
import dev.stasis.cli.support.FormatOption;
import picocli.CommandLine.Mixin;
import dev.stasis.analysis.Progress;
import dev.stasis.analysis.diff.CheckpointDiff;
import dev.stasis.analysis.diff.DiffText;
import dev.stasis.cli.support.Errors;
import dev.stasis.cli.support.Json;
import dev.stasis.cli.support.Terminal;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stasis diff A B}: what changed between two checkpoints of one container. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Show what changed between two checkpoints of one container.",
                "Processes (new first, with memory size), connections, file descriptors, the rootfs diff and deleted files."},
        footer = {"", "Example:", "  stasis diff testdata/checkpoints/irc-bot.pre.tar.zst testdata/checkpoints/irc-bot.tar.zst"})
public final class DiffCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BEFORE", description = "the earlier checkpoint")
    Path before;

    @Parameters(index = "1", paramLabel = "AFTER", description = "the later checkpoint")
    Path after;

    @Mixin FormatOption format = FormatOption.of("text or json", OutputFormat.TEXT, OutputFormat.JSON);

    @Option(names = {"-q", "--quiet"}, description = "no progress bar")
    boolean quiet;

    @Override
    public Integer call() {
        boolean json = format.json();
        Progress progress = TerminalProgress.create(quiet);
        CheckpointDiff.Result r;
        try {
            r = CheckpointDiff.compare(before, after, progress);
        } finally {
            TerminalProgress.finish(progress);
        }
        if (json) Json.print(Json.document("diff", 1, r));
        else System.out.print(DiffText.render(r, Terminal.colour()));
        return 0;
    }
}
