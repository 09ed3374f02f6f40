package dev.stasis.cli.memory;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Stub: Process memory in a checkpoint: summary, maps, search, strings, dump. */
@Command(name = "memory", mixinStandardHelpOptions = true, description = "Process memory in a checkpoint: summary, maps, search, strings, dump.")
public final class MemoryCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'memory' is not implemented yet");
    }
}
