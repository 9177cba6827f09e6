package io.gatehouse.server.internal.logging;

import io.gatehouse.mcp.internal.log.LogText;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.pattern.EnsureExceptionHandling;
import ch.qos.logback.classic.pattern.ExtendedThrowableProxyConverter;
import ch.qos.logback.classic.pattern.KeyValuePairConverter;
import ch.qos.logback.classic.pattern.MDCConverter;
import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.pattern.RootCauseFirstThrowableProxyConverter;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.Context;
import ch.qos.logback.core.pattern.Converter;
import ch.qos.logback.core.pattern.ConverterUtil;
import ch.qos.logback.core.pattern.DynamicConverter;
import java.util.List;
import java.util.function.Supplier;

/**
 * A logback pattern layout whose every conversion word that can carry outside input renders it through
 * {@link LogText#neutralise}: the message ({@code %m %msg %message}), MDC values ({@code %X %mdc}), key-value pairs
 * ({@code %kvp}) and exceptions ({@code %ex %xEx %rEx} and their long names, and the one logback adds when a
 * pattern names none). An exception keeps its multi-line stack trace, but its message, which often quotes input,
 * cannot add a line of its own. So no call site has to remember to clean a value: a request field logged anywhere
 * cannot forge a log line, whatever the pattern.
 */
public final class SafePatternLayout extends PatternLayout {

    public SafePatternLayout() {
        override(SafeMessage::new, "m", "msg", "message");
        override(SafeMdc::new, "X", "mdc");
        override(SafeKeyValuePairs::new, "kvp");
        override(SafeThrowable::new, "ex", "exception", "throwable");
        override(SafeExtendedThrowable::new, "xEx", "xException", "xThrowable");
        override(SafeRootCauseFirstThrowable::new, "rEx", "rootException");
        setPostCompileProcessor(new SafeExceptionHandling());
    }

    private void override(Supplier<DynamicConverter> converter, String... words) {
        for (String word : words) {
            getInstanceConverterMap().put(word, converter);
        }
    }

    static final class SafeMessage extends MessageConverter {
        @Override
        public String convert(ILoggingEvent event) {
            return LogText.neutralise(super.convert(event));
        }
    }

    static final class SafeMdc extends MDCConverter {
        @Override
        public String convert(ILoggingEvent event) {
            return LogText.neutralise(super.convert(event));
        }
    }

    static final class SafeKeyValuePairs extends KeyValuePairConverter {
        @Override
        public String convert(ILoggingEvent event) {
            return LogText.neutralise(super.convert(event));
        }
    }

    static final class SafeThrowable extends ThrowableProxyConverter {
        @Override
        protected String throwableProxyToString(IThrowableProxy throwable) {
            return super.throwableProxyToString(NeutralisedThrowable.of(throwable));
        }
    }

    static final class SafeExtendedThrowable extends ExtendedThrowableProxyConverter {
        @Override
        protected String throwableProxyToString(IThrowableProxy throwable) {
            return super.throwableProxyToString(NeutralisedThrowable.of(throwable));
        }
    }

    static final class SafeRootCauseFirstThrowable extends RootCauseFirstThrowableProxyConverter {
        @Override
        protected String throwableProxyToString(IThrowableProxy throwable) {
            return super.throwableProxyToString(NeutralisedThrowable.of(throwable));
        }
    }

    /** Like logback's own: a pattern without an exception word still prints exceptions, through the safe converter. */
    static final class SafeExceptionHandling extends EnsureExceptionHandling {
        @Override
        public void process(Context context, Converter<ILoggingEvent> head) {
            if (head != null && !chainHandlesThrowable(head)) {
                ConverterUtil.findTail(head).setNext(new SafeThrowable());
            }
        }
    }

    /** An exception as logback sees it, with its (and its causes') message and class name neutralised. */
    record NeutralisedThrowable(IThrowableProxy original) implements IThrowableProxy {

        static IThrowableProxy of(IThrowableProxy throwable) {
            return throwable == null || throwable instanceof NeutralisedThrowable ? throwable : new NeutralisedThrowable(throwable);
        }

        @Override
        public String getMessage() {
            return LogText.neutralise(original.getMessage());
        }

        @Override
        public String getOverridingMessage() {
            return LogText.neutralise(original.getOverridingMessage());
        }

        @Override
        public String getClassName() {
            return LogText.neutralise(original.getClassName());
        }

        @Override
        public ch.qos.logback.classic.spi.StackTraceElementProxy[] getStackTraceElementProxyArray() {
            return original.getStackTraceElementProxyArray();
        }

        @Override
        public int getCommonFrames() {
            return original.getCommonFrames();
        }

        @Override
        public IThrowableProxy getCause() {
            return of(original.getCause());
        }

        @Override
        public IThrowableProxy[] getSuppressed() {
            IThrowableProxy[] suppressed = original.getSuppressed();
            return suppressed == null ? null : List.of(suppressed).stream().map(NeutralisedThrowable::of).toArray(IThrowableProxy[]::new);
        }

        @Override
        public boolean isCyclic() {
            return original.isCyclic();
        }
    }
}
