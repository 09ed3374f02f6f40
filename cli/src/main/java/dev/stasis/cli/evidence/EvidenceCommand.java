package dev.stasis.cli.evidence;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Stub: The evidence vault and its chain-of-custody log. */
@Command(name = "evidence", mixinStandardHelpOptions = true, description = "The evidence vault and its chain-of-custody log.")
public final class EvidenceCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'evidence' is not implemented yet");
    }
}
