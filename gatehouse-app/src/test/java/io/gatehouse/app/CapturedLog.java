package io.gatehouse.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.pattern.PatternLayoutEncoderBase;
import io.gatehouse.server.internal.logging.SafePatternLayoutEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The bytes Gatehouse's log would hold, while open: an appender on the root logger whose encoder is a fresh one of
 * the class, pattern and format ({@code log-format}) the active logging configuration gives its console appender,
 * so what is captured is what the console shows, control characters and all. Gatehouse's own loggers log at DEBUG meanwhile.
 */
final class CapturedLog implements AutoCloseable {

    private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    private final Map<String, Level> levelsBefore = new LinkedHashMap<>();

    CapturedLog() throws ReflectiveOperationException {
        PatternLayoutEncoderBase<ILoggingEvent> configured = consoleEncoder();
        @SuppressWarnings("unchecked")
        PatternLayoutEncoderBase<ILoggingEvent> encoder = configured.getClass().getDeclaredConstructor().newInstance();
        encoder.setContext(root.getLoggerContext());
        encoder.setPattern(configured.getPattern());
        encoder.start();
        if (configured instanceof SafePatternLayoutEncoder safe) {
            ((SafePatternLayoutEncoder) encoder).useFormat(safe.format()); // text or json, as log-format set it
        }
        appender.setContext(root.getLoggerContext());
        appender.setName("captured");
        appender.setEncoder(encoder);
        appender.setOutputStream(bytes);
        appender.start();
        root.addAppender(appender);
        for (String name : new String[] {"io.gatehouse", "gatehouse"}) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            levelsBefore.put(name, logger.getLevel());
            logger.setLevel(Level.DEBUG);
        }
    }

    /** The encoder of the console appender that the logging configuration puts on the root logger. */
    static PatternLayoutEncoderBase<ILoggingEvent> consoleEncoder() {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> console
                    && console.getEncoder() instanceof PatternLayoutEncoderBase<ILoggingEvent> encoder) {
                return encoder;
            }
        }
        throw new IllegalStateException("the logging configuration has no console appender on the root logger");
    }

    /** Everything logged so far, as written. */
    String text() {
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
        levelsBefore.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
    }
}
