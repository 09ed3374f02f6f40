package dev.stasis.cli.response;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Stub: Node agent: collects checkpoint archives into the vault. */
@Command(name = "agent", mixinStandardHelpOptions = true, description = "Node agent: collects checkpoint archives into the vault.")
public final class AgentCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'agent' is not implemented yet");
    }
}
