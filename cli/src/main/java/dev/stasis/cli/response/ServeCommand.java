package dev.stasis.cli.response;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Stub: Receive Falco alerts and run response actions. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Receive Falco alerts and run response actions.")
public final class ServeCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'serve' is not implemented yet");
    }
}
