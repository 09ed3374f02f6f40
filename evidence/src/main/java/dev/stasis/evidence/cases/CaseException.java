package dev.stasis.evidence.cases;

import dev.stasis.evidence.EvidenceException;

/** A case that does not exist, a duplicate, or a database that cannot be reached or migrated. */
public class CaseException extends EvidenceException {
    public CaseException(String message) {
        super(message);
    }

    public CaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
