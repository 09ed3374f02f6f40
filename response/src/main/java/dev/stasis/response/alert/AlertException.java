package dev.stasis.response.alert;

import dev.stasis.response.ResponseException;

/** An alert body that is not a Falco alert in any of the accepted shapes (answered with 400). */
public final class AlertException extends ResponseException {
    public AlertException(String message) {
        super(message);
    }
}
