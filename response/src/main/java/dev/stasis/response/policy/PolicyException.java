package dev.stasis.response.policy;

import dev.stasis.response.ResponseException;

/** A policy file that does not parse or validate; the message names the place ("rules[2].match.priority"). */
public final class PolicyException extends ResponseException {
    public PolicyException(String message) {
        super(message);
    }
}
