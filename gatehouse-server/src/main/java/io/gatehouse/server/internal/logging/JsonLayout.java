package io.gatehouse.server.internal.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import io.gatehouse.mcp.internal.log.LogText;
import java.io.StringWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import org.slf4j.event.KeyValuePair;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonWriteFeature;

/**
 * One log event as one line of JSON, for log shippers: {@code timestamp} (ISO-8601, UTC, milliseconds),
 * {@code level}, {@code logger}, {@code thread}, {@code message}, then each MDC entry (a request's
 * {@code request_id} and {@code trace_id}) and key-value pair as a field of its own, and {@code exception} (the
 * stack trace as one string) when there is one. A field whose name is one of the standard ones gets an {@code mdc_}
 * prefix rather than replace it.
 * <p>
 * Values are neutralised as in the text format ({@link LogText}: a message reads the same in both, and is as safe
 * to show once parsed), then written by Jackson with every control and every non-ASCII character (line and
 * paragraph separators, bidirectional controls, lone surrogates) as an escape, so a line is always one line of
 * plain, valid JSON whatever a value holds.
 */
final class JsonLayout extends LayoutBase<ILoggingEvent> {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);
    private static final Set<String> STANDARD = Set.of("timestamp", "level", "logger", "thread", "message", "exception");

    /** Jackson's writer; every non-ASCII character as an escape, so a line is plain ASCII whatever a value holds. */
    private static final JsonFactory JSON = JsonFactory.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    @Override
    public String doLayout(ILoggingEvent event) {
        StringWriter line = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(ObjectWriteContext.empty(), line)) {
            json.writeStartObject();
            json.writeStringProperty("timestamp", TIMESTAMP.format(event.getInstant()));
            json.writeStringProperty("level", event.getLevel().toString());
            json.writeStringProperty("logger", event.getLoggerName());
            json.writeStringProperty("thread", event.getThreadName());
            json.writeStringProperty("message", LogText.neutralise(event.getFormattedMessage()));
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
                json.writeStringProperty("exception",
                        ThrowableProxyUtil.asString(SafePatternLayout.NeutralisedThrowable.of(event.getThrowableProxy())));
            }
            json.writeEndObject();
        }
        return line.append(CoreConstants.LINE_SEPARATOR).toString();
    }

    @Override
    public String getContentType() {
        return "application/json";
    }

    private static void extra(JsonGenerator json, String key, String value) {
        if (key != null) {
            json.writeStringProperty(STANDARD.contains(key) ? "mdc_" + key : key, value == null ? null : LogText.neutralise(value));
        }
    }
}
