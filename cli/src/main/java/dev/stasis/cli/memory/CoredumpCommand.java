package dev.stasis.cli.memory;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Stub: Write ELF core files for checkpointed processes. */
@Command(name = "coredump", mixinStandardHelpOptions = true, description = "Write ELF core files for checkpointed processes.")
public final class CoredumpCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'coredump' is not implemented yet");
    }
}
