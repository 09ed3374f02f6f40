package dev.stasis.response.action;

import dev.stasis.response.ResponseException;

/**
 * An action that failed. {@link #retryable()} says whether trying again can
 * help (a kubelet that timed out) or not (a pod that does not exist).
 */
public final class ActionException extends ResponseException {
    private final boolean retryable;

    public ActionException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public ActionException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
