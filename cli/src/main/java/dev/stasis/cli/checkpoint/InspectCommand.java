package dev.stasis.cli.checkpoint;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Stub: Inspect checkpoint archives (checkpointctl-compatible JSON). */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Inspect checkpoint archives (checkpointctl-compatible JSON).")
public final class InspectCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'inspect' is not implemented yet");
    }
}
