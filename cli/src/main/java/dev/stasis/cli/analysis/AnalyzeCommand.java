package dev.stasis.cli.analysis;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Stub: Analyze a checkpoint: findings, evidence and a report. */
@Command(name = "analyze", mixinStandardHelpOptions = true, description = "Analyze a checkpoint: findings, evidence and a report.")
public final class AnalyzeCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'analyze' is not implemented yet");
    }
}
