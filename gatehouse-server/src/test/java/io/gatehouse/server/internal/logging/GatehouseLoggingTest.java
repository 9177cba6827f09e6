package io.gatehouse.server.internal.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
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
}
