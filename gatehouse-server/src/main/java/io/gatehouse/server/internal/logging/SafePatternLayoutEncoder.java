package io.gatehouse.server.internal.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.pattern.PatternLayoutEncoderBase;

/**
 * The encoder every Gatehouse appender uses: logback's pattern encoder, with a {@link SafePatternLayout} so no
 * log line can be forged by a value it quotes. Configured like {@code PatternLayoutEncoder}, with a
 * {@code <pattern>}.
 */
public final class SafePatternLayoutEncoder extends PatternLayoutEncoderBase<ILoggingEvent> {

    @Override
    public void start() {
        SafePatternLayout layout = new SafePatternLayout();
        layout.setContext(context);
        layout.setPattern(getPattern());
        layout.setOutputPatternAsHeader(outputPatternAsHeader);
        layout.start();
        this.layout = layout;
        super.start();
    }
}
