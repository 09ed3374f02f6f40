package dev.stasis.cli.analysis;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Stub: What changed between two checkpoints of one container. */
@Command(name = "diff", mixinStandardHelpOptions = true, description = "What changed between two checkpoints of one container.")
public final class DiffCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'diff' is not implemented yet");
    }
}
