package io.gatehouse.server.internal.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The audit log's appender: lines are buffered, then written whole by the periodic flush or at stop. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BufferedConsoleAppenderTest {

    final ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream originalErr;
    final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    final Logger audit = context.getLogger("buffered-console-test");
    final BufferedConsoleAppender<ILoggingEvent> appender = new BufferedConsoleAppender<>();

    @BeforeEach
    void redirectStderr() {
        originalErr = System.err;
        System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%msg%n");
        encoder.start();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setTarget("System.err");
        audit.setAdditive(false);
        audit.addAppender(appender);
    }

    @AfterEach
    void restoreStderr() {
        audit.detachAppender(appender);
        appender.stop();
        System.setErr(originalErr);
    }

    String written() {
        return console.toString(StandardCharsets.UTF_8);
    }

    void log(String message) {
        audit.info(message);
    }

    @Test
    void a_line_is_held_back_then_written_by_the_periodic_flush() throws InterruptedException {
        appender.setFlushMillis(100);
        appender.start();
        log("allowed sub=alice");
        assertThat(written()).isEmpty();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        while (written().isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(10);
        }
        assertThat(written()).isEqualTo("allowed sub=alice\n");
    }

    @Test
    void stop_writes_everything_still_buffered() {
        appender.setFlushMillis(60_000);
        appender.start();
        for (int i = 0; i < 1_000; i++) {
            log("line " + i);
        }
        appender.stop();
        String[] lines = written().split("\n");
        assertThat(lines).hasSize(1_000);
        assertThat(lines[999]).isEqualTo("line 999");
    }

    @Test
    void a_full_buffer_is_written_at_a_line_boundary() {
        appender.setFlushMillis(60_000);
        appender.setBufferSize(100);
        appender.start();
        for (int i = 0; i < 30; i++) {
            log("line " + i);
        }
                assertThat(written()).isNotEmpty().endsWith("\n");
    }
}
