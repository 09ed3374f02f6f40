package dev.stasis.cli.checkpoint;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Stub: Decode CRIU images (crit-compatible). */
@Command(name = "crit", mixinStandardHelpOptions = true, description = "Decode CRIU images (crit-compatible).")
public final class CritCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'crit' is not implemented yet");
    }
}
