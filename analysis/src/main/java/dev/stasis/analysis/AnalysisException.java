package dev.stasis.analysis;

/**
 * Base of every error the analysis module reports about its input (an intel
 * file, a rule file, a report path). The message is one line an analyst can act
 * on; the CLI prints it without a stack trace.
 */
public class AnalysisException extends RuntimeException {
    public AnalysisException(String message) {
        super(message);
    }

    public AnalysisException(String message, Throwable cause) {
        super(message, cause);
    }
}
