package io.gatehouse.mcp.context;

import java.util.Locale;
import java.util.Optional;

/** The RFC 5424 severities MCP logging uses, least severe first. */
public enum LogLevel {
    DEBUG, INFO, NOTICE, WARNING, ERROR, CRITICAL, ALERT, EMERGENCY;

    /** The name on the wire, e.g. {@code warning}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The level with this wire name; empty for anything else. */
    public static Optional<LogLevel> parse(String value) {
        for (LogLevel level : values()) {
            if (level.wireName().equals(value)) {
                return Optional.of(level);
            }
        }
        return Optional.empty();
    }
}
