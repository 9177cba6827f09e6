package io.gatehouse.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gatehouse.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A stdio child's stderr in Gatehouse's log: named, neutralised, rate-limited. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("gateway")
class StderrLogTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger("io.gatehouse.gateway.upstream");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @BeforeEach
    void attach() {
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(appender);
    }

    @Test
    @Tag("attack")
    void a_line_is_logged_with_the_upstreams_name_and_cannot_forge_a_log_line_or_steer_a_terminal() {
        new StderrLog("files", new MutableClock(Instant.EPOCH)).line("oops\r\n2026-01-01 INFO forged \u001b[31mred");

        assertThat(appender.list).singleElement().extracting(ILoggingEvent::getFormattedMessage)
                .isEqualTo("upstream files stderr: oops\\r\\n2026-01-01 INFO forged \\u001b[31mred");
    }

    @Test
    void a_flood_is_cut_to_the_burst_and_the_suppressed_lines_are_counted_when_logging_resumes() {
        MutableClock clock = new MutableClock(Instant.EPOCH);
        StderrLog log = new StderrLog("chatty", clock);

        for (int i = 0; i < 150; i++) {
            log.line("line " + i);
        }
        assertThat(appender.list).hasSize(100);

        clock.advance(Duration.ofSeconds(1));
        log.line("after a pause");

        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage).endsWith(
                "upstream chatty stderr: 50 lines suppressed (rate limit)", "upstream chatty stderr: after a pause");
    }
}
