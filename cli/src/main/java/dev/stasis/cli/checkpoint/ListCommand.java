package dev.stasis.cli.checkpoint;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Stub: List checkpoint archives in kubelet checkpoint directories. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List checkpoint archives in kubelet checkpoint directories.")
public final class ListCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'list' is not implemented yet");
    }
}
