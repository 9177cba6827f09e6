package io.gatehouse.mcp.context;

import java.util.Locale;
import java.util.Optional;

/** The RFC 5424 severities MCP logging uses, least severe first. */
public enum LogLevel {
    DEBUG, INFO, NOTICE, WARNING, ERROR, CRITICAL, ALERT, EMERGENCY;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<LogLevel> parse(String value) {
        for (LogLevel level : values()) {
            if (level.wireName().equals(value)) {
                return Optional.of(level);
            }
        }
        return Optional.empty();
    }
}
