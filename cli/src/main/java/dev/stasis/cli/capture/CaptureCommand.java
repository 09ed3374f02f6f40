package dev.stasis.cli.capture;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Stub: Read and analyse syscall captures (.scap). */
@Command(name = "capture", mixinStandardHelpOptions = true, description = "Read and analyse syscall captures (.scap).")
public final class CaptureCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'capture' is not implemented yet");
    }
}
