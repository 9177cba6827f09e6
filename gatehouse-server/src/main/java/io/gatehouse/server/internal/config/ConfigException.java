package io.gatehouse.server.internal.config;

/** A configuration value is missing or wrong; the message names the key, where it came from, and the fix. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
