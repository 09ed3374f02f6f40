package dev.stasis.cli.evidence;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Stub: Cases: group evidence items and reports. */
@Command(name = "case", mixinStandardHelpOptions = true, description = "Cases: group evidence items and reports.")
public final class CaseCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'case' is not implemented yet");
    }
}
