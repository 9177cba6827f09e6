package io.gatehouse.server.internal.logging;

/** How Gatehouse's log lines are written: the setting {@code log-format}. */
public enum LogFormat {
    /** One line of text per event, as a person reads it (the default). */
    TEXT,
    /** One JSON object per line, for log shippers: see {@link JsonLayout}. */
    JSON
}
