package dev.stasis.cli.checkpoint;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Stub: Extract a file from a checkpoint's rootfs diff, a ghost file or a memfd. */
@Command(name = "extract", mixinStandardHelpOptions = true, description = "Extract a file from a checkpoint's rootfs diff, a ghost file or a memfd.")
public final class ExtractCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'extract' is not implemented yet");
    }
}
