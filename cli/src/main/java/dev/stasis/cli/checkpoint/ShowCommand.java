package dev.stasis.cli.checkpoint;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Stub: One line per checkpoint archive. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "One line per checkpoint archive.")
public final class ShowCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'show' is not implemented yet");
    }
}
