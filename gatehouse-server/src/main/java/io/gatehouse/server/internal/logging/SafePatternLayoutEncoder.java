package io.gatehouse.server.internal.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.pattern.PatternLayoutEncoderBase;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The encoder every Gatehouse appender uses: logback's pattern encoder, with a {@link SafePatternLayout} so no
 * log line can be forged by a value it quotes. Configured like {@code PatternLayoutEncoder}, with a
 * {@code <pattern>}. The setting {@code log-format} switches it to {@link JsonLayout} (one JSON object per line,
 * UTF-8) and back, while it runs ({@link GatehouseLogging#useFormat}); the pattern then applies to text only.
 */
public final class SafePatternLayoutEncoder extends PatternLayoutEncoderBase<ILoggingEvent> {

    private volatile LogFormat format = LogFormat.TEXT;
    private JsonLayout json;

    @Override
    public void start() {
        SafePatternLayout layout = new SafePatternLayout();
        layout.setContext(context);
        layout.setPattern(getPattern());
        layout.setOutputPatternAsHeader(outputPatternAsHeader);
        layout.start();
        this.layout = layout;
        json = new JsonLayout();
        json.setContext(context);
        json.start();
        super.start();
    }

    /** The format lines are written in now. */
    public LogFormat format() {
        return format;
    }

    /** Writes lines in {@code format} from now on. */
    public void useFormat(LogFormat format) {
        this.format = format;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        if (format == LogFormat.JSON) {
            return json.doLayout(event).getBytes(StandardCharsets.UTF_8);
        }
        Charset charset = getCharset();
        String text = layout.doLayout(event);
        return charset == null ? text.getBytes() : text.getBytes(charset);
    }
}
