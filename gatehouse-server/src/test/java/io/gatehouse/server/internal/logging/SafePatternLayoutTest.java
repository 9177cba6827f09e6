package io.gatehouse.server.internal.logging;

import io.gatehouse.mcp.internal.log.LogText;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What the layout every Gatehouse appender uses makes of values carrying control characters. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("SEC10-6")
class SafePatternLayoutTest {

    static final String FORGED = "evil\r\n12:00:00.000 INFO  Admin - forged\u001b[2J\u2028\u2029\u0085\u202e\t\u0000";
    final LoggerContext context = new LoggerContext();

    String layout(String pattern, ILoggingEvent event) {
        SafePatternLayout layout = new SafePatternLayout();
        layout.setContext(context);
        layout.setPattern(pattern);
        layout.start();
        return layout.doLayout(event);
    }

    LoggingEvent event(String message, Throwable thrown, Object... arguments) {
        Logger logger = context.getLogger("test");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.INFO, message, thrown, arguments);
        event.setMDCPropertyMap(Map.of("client", FORGED));
        return event;
    }

    @Test
    void control_characters_in_message_arguments_are_escaped_and_stay_on_one_line() {
        String line = layout("%level %msg%n", event("Failed login for user {}", null, FORGED));
        assertThat(line).isEqualTo("INFO Failed login for user evil\\r\\n12:00:00.000 INFO  Admin - forged\\u001b[2J\\u2028\\u2029"
                + "\\u0085\\u202e\\t\\u0000\n");
    }

    @Test
    void mdc_values_are_escaped_too() {
        assertThat(layout("%X{client}|%mdc", event("m", null))).doesNotContain("\r", "\n", "\u001b", "\u2028").contains("evil\\r\\n12");
    }

    @Test
    void an_exception_keeps_its_stack_trace_lines_but_its_message_cannot_add_one() {
        Exception thrown = new IllegalStateException("bad client_id " + FORGED, new RuntimeException("cause " + FORGED));
        for (String pattern : List.of("%msg%n%ex", "%msg%n%xEx", "%msg%n%rEx", "%msg%n")) {
            String text = layout(pattern, event("request failed", thrown));
            assertThat(text).as(pattern).contains("java.lang.IllegalStateException: bad client_id evil\\r\\n12:00:00.000 INFO  Admin - forged")
                    .contains("cause evil\\r\\n12").contains("\tat io.gatehouse.server.internal.logging.SafePatternLayoutTest")
                    .doesNotContain("\r", "\u001b", "\u2028", "\u2029", "\u0085", "\u202e", "\u0000");
            assertThat(text.lines()).as(pattern).noneMatch(l -> l.startsWith("12:00:00.000"));
        }
    }

    @Test
    void a_clean_message_is_left_as_it_is() {
        String clean = "Issued an access token to client c-1 for alice (scopes [mcp:read])";
        assertThat(LogText.neutralise(clean)).isSameAs(clean);
        assertThat(LogText.neutralise("Grüße, 東京 🙂")).isEqualTo("Grüße, 東京 🙂");
    }

    @Test
    void every_appender_of_the_shipped_logging_configuration_escapes_control_characters() throws Exception {
        LoggerContext shipped = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(shipped);
        configurator.doConfigure(getClass().getResource(GatehouseLogging.DEFAULT_CONFIGURATION));
        try {
            List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
            for (Logger logger : shipped.getLoggerList()) {
                for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
                    appenders.add(it.next());
                }
            }
            assertThat(appenders).extracting(Appender::getName).contains("STDERR", "AUDIT");
            assertThat(appenders).allSatisfy(appender -> assertThat(((OutputStreamAppender<ILoggingEvent>) appender).getEncoder())
                    .isInstanceOf(SafePatternLayoutEncoder.class));
        } finally {
            shipped.stop();
        }
    }
}
