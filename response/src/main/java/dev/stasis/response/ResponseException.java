package dev.stasis.response;

/** Base of every response-engine error; its message is one line a user can act on. */
public class ResponseException extends RuntimeException {
    public ResponseException(String message) {
        super(message);
    }

    public ResponseException(String message, Throwable cause) {
        super(message, cause);
    }
}
