package io.gatehouse.server.internal.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A library user who configures no logging (this module's tests have no logback-test.xml) still gets Gatehouse's
 * safe logging: every appender escapes control characters.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("SEC10-6")
class GatehouseLoggingTest {

    @Test
    void without_a_logging_configuration_of_the_application_every_appender_escapes_control_characters() {
        assertThat(GatehouseLoggingTest.class.getResource("/logback-test.xml")).isNull();
        assertThat(GatehouseLoggingTest.class.getResource("/logback.xml")).isNull();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
        for (Logger logger : context.getLoggerList()) {
            for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
                appenders.add(it.next());
            }
        }
        assertThat(appenders).extracting(Appender::getName).contains("STDERR", "AUDIT");
        assertThat(appenders).allSatisfy(appender -> assertThat(((OutputStreamAppender<ILoggingEvent>) appender).getEncoder())
                .isInstanceOf(SafePatternLayoutEncoder.class));
    }

    @Test
    void log_format_json_switches_the_console_and_the_audit_appender_and_switching_back_restores_text() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        SafePatternLayoutEncoder console = encoder(context.getLogger(Logger.ROOT_LOGGER_NAME), "STDERR");
        SafePatternLayoutEncoder audit = encoder(context.getLogger("gatehouse.audit"), "AUDIT");
        LoggingEvent line = new LoggingEvent(Logger.class.getName(), context.getLogger("gatehouse.audit"), Level.INFO,
                "denied sub={} client=cli method=tools/call target=server_info: needs role admin", null, new Object[] {"alice"});

        LogFormat before = GatehouseLogging.useFormat(LogFormat.JSON);
        String json;
        try {
            assertThat(console.format()).isEqualTo(LogFormat.JSON);
            json = new String(audit.encode(line), StandardCharsets.UTF_8);
        } finally {
            assertThat(GatehouseLogging.useFormat(before)).isEqualTo(LogFormat.JSON);
        }

        assertThat(before).isEqualTo(LogFormat.TEXT);
        assertThat(json).startsWith("{\"timestamp\":").contains("\"logger\":\"gatehouse.audit\"",
                "\"message\":\"denied sub=alice client=cli method=tools/call target=server_info: needs role admin\"");
        assertThat(console.format()).isEqualTo(LogFormat.TEXT);
        assertThat(new String(audit.encode(line), StandardCharsets.UTF_8))
                .endsWith(" INFO  audit - denied sub=alice client=cli method=tools/call target=server_info: needs role admin\n");
    }

    private static SafePatternLayoutEncoder encoder(Logger logger, String appender) {
        return (SafePatternLayoutEncoder) ((OutputStreamAppender<ILoggingEvent>) logger.getAppender(appender)).getEncoder();
    }
}
