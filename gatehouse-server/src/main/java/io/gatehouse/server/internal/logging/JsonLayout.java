package io.gatehouse.server.internal.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import io.gatehouse.mcp.internal.log.LogText;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * One log event as one line of JSON, for log shippers: {@code timestamp} (ISO-8601, UTC, milliseconds),
 * {@code level}, {@code logger}, {@code thread}, {@code message}, then each MDC entry (a request's
 * {@code request_id} and {@code trace_id}) and key-value pair as a field of its own, and {@code exception} (the
 * stack trace as one string) when there is one. A field whose name is one of the standard ones gets an {@code mdc_}
 * prefix rather than replace it.
 * <p>
 * Values are neutralised as in the text format ({@link LogText}: a message reads the same in both, and is as safe
 * to show once parsed), then JSON-escaped: {@code "}, {@code \}, every control character, the line and paragraph
 * separators, the bidirectional controls and lone surrogates are written as escapes, so a line is always one
 * line of plain, valid JSON whatever a value holds.
 */
final class JsonLayout extends LayoutBase<ILoggingEvent> {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);
    private static final Set<String> STANDARD = Set.of("timestamp", "level", "logger", "thread", "message", "exception");

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder json = new StringBuilder(256);
        json.append("{\"timestamp\":\"").append(TIMESTAMP.format(event.getInstant())).append('"');
        field(json, "level", event.getLevel().toString());
        field(json, "logger", event.getLoggerName());
        field(json, "thread", event.getThreadName());
        field(json, "message", LogText.neutralise(event.getFormattedMessage()));
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null) {
            mdc.forEach((key, value) -> extra(json, key, value));
        }
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair pair : event.getKeyValuePairs()) {
                extra(json, pair.key, String.valueOf(pair.value));
            }
        }
        if (event.getThrowableProxy() != null) {
            field(json, "exception", ThrowableProxyUtil.asString(SafePatternLayout.NeutralisedThrowable.of(event.getThrowableProxy())));
        }
        return json.append('}').append(CoreConstants.LINE_SEPARATOR).toString();
    }

    @Override
    public String getContentType() {
        return "application/json";
    }

    private static void extra(StringBuilder json, String key, String value) {
        if (key != null) {
            field(json, STANDARD.contains(key) ? "mdc_" + key : key, LogText.neutralise(value));
        }
    }

    private static void field(StringBuilder json, String name, String value) {
        json.append(",\"");
        escape(json, name);
        json.append("\":");
        if (value == null) {
            json.append("null");
        } else {
            json.append('"');
            escape(json, value);
            json.append('"');
        }
    }

    /** Appends {@code value} as the inside of a JSON string, with everything that is not plain printable text escaped. */
    static void escape(StringBuilder json, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (mustEscape(value, i, c)) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
    }

    private static boolean mustEscape(String value, int i, char c) {
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
            return true;
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(value.charAt(i - 1));
        }
        return false;
    }
}
