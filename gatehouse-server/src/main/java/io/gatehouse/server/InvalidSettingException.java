package io.gatehouse.server;

/**
 * A setting of a {@link GatehouseServer} is unknown, missing or wrong. The message names the setting, where its value
 * came from (a flag, an environment variable, the env or config file, {@link GatehouseSettings} in code) and what
 * would be accepted, e.g. {@code Setting 'port' (from --port) must be a whole number, got 'x'.}
 */
public final class InvalidSettingException extends RuntimeException {

    InvalidSettingException(String message) {
        super(message, null, false, false);
    }
}
