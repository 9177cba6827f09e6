package io.gatehouse.server.internal.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.gatehouse.mcp.internal.log.LogText;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code log-format json}: one JSON object per line, whatever the values hold (issue 15, point 4). */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("SEC10-6")
class JsonLayoutTest {

    static final String FORGED = "evil\r\n{\"level\":\"ERROR\"}\u001b[2J\u2028\u2029\u0085\u202e\u2066\t\u0000\"\\";
    static final JsonMapper JSON = JsonMapper.builder().build();
    final LoggerContext context = new LoggerContext();

    LoggingEvent event(String message, Throwable thrown, Object... arguments) {
        Logger logger = context.getLogger("gatehouse.audit");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.INFO, message, thrown, arguments);
        event.setMDCPropertyMap(Map.of("request_id", "0123456789abcdef0123456789abcdef", "client", FORGED, "level", "mdc level"));
        return event;
    }

    String encoded(LoggingEvent event) {
        SafePatternLayoutEncoder encoder = new SafePatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%level %msg%n");
        encoder.start();
        encoder.useFormat(LogFormat.JSON);
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }

    @Test
    void an_event_is_one_line_of_json_with_the_standard_fields_and_the_mdc() {
        String line = encoded(event("allowed sub={} method=tools/call", null, "alice"));

        assertThat(line).endsWith("\n").hasLineCount(1);
        JsonNode json = JSON.readTree(line);
        assertThat(json.path("timestamp").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(json.path("level").asString()).isEqualTo("INFO");
        assertThat(json.path("logger").asString()).isEqualTo("gatehouse.audit");
        assertThat(json.path("thread").asString()).isEqualTo(Thread.currentThread().getName());
        assertThat(json.path("message").asString()).isEqualTo("allowed sub=alice method=tools/call");
        assertThat(json.path("request_id").asString()).isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(json.path("mdc_level").asString()).as("an MDC key cannot replace a standard field").isEqualTo("mdc level");
    }

    @Test
    void control_characters_separators_and_bidi_controls_never_reach_the_line_raw_and_read_as_in_the_text_format() {
        String line = encoded(event("Failed login for user {}", new IllegalStateException("bad " + FORGED), FORGED));

        assertThat(line.substring(0, line.length() - 1)).doesNotContain("\r", "\n", "\u001b", "\u2028", "\u2029", "\u0085", "\u202e",
                "\u2066", "\t", "\u0000");
        JsonNode json = JSON.readTree(line);
        assertThat(json.path("message").asString()).isEqualTo("Failed login for user " + LogText.neutralise(FORGED));
        assertThat(json.path("client").asString()).isEqualTo(LogText.neutralise(FORGED));
        assertThat(json.path("exception").asString()).startsWith("java.lang.IllegalStateException: bad " + LogText.neutralise(FORGED))
                .contains("\tat io.gatehouse.server.internal.logging.JsonLayoutTest");
    }

    @Test
    void a_lone_surrogate_is_escaped_and_a_pair_is_kept() {
        JsonNode json = JSON.readTree(encoded(event("{} {}", null, "\ud83d\ude00", "x\ud800y")));
        assertThat(json.path("message").asString()).isEqualTo("\ud83d\ude00 x\ud800y");
    }

    @Test
    void the_text_format_names_the_request_when_the_configuration_asks_for_it() {
        SafePatternLayoutEncoder encoder = new SafePatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%level%replace( req=%X{request_id}){' req=$', ''}%replace( trace=%X{trace_id}){' trace=$', ''} - %msg%n");
        encoder.start();
        assertThat(new String(encoder.encode(event("hello", null)), StandardCharsets.UTF_8))
                .isEqualTo("INFO req=0123456789abcdef0123456789abcdef - hello\n");
    }
}
