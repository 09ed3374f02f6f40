package dev.stasis.analysis.rules;

import dev.stasis.analysis.AnalysisException;

/** A rule file that cannot be used: names the file, the rule and what is wrong. */
public final class RuleFormatException extends AnalysisException {
    public RuleFormatException(String message) {
        super(message);
    }
}
