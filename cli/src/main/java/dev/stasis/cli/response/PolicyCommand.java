package dev.stasis.cli.response;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Stub: Check response policies and test them against alerts. */
@Command(name = "policy", mixinStandardHelpOptions = true, description = "Check response policies and test them against alerts.")
public final class PolicyCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'policy' is not implemented yet");
    }
}
