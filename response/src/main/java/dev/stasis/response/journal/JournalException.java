package dev.stasis.response.journal;

import dev.stasis.response.ResponseException;

/** The journal cannot be read or written; the engine refuses alerts rather than accept what it cannot keep. */
public final class JournalException extends ResponseException {
    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
