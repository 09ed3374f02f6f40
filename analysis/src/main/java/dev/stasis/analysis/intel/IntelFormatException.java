package dev.stasis.analysis.intel;

import dev.stasis.analysis.AnalysisException;

/** A threat-intelligence file that cannot be read: names the file and the line or object. */
public final class IntelFormatException extends AnalysisException {
    public IntelFormatException(String message) {
        super(message);
    }
}
