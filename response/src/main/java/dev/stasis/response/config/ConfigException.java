package dev.stasis.response.config;

import dev.stasis.response.ResponseException;

/** stasis.yaml (or the agent's configuration) is wrong; the message names the key. */
public final class ConfigException extends ResponseException {
    public ConfigException(String message) {
        super(message);
    }
}
