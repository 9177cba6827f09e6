package io.gatehouse.server.internal.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.net.URL;
import java.util.Iterator;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Gatehouse's logging when the application configures none: logback finds this configurator (a service) before its
 * own, and it applies {@code gatehouse-logback.xml} (every appender escapes control characters through
 * {@link SafePatternLayoutEncoder}; the audit log is buffered; {@code GATEHOUSE_LOG_LEVEL} sets the level) unless the
 * application has a {@code logback.xml}, a {@code logback-test.xml} or {@code -Dlogback.configurationFile}: then
 * logback reads that one, and the application's configuration is its own. A library must not override its user's
 * logging; it must not leave it unsafe either, which logback's fallback (a plain console pattern) would.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_LOW_PRIORITY)
public final class GatehouseLogging extends ContextAwareBase implements Configurator {

    /** The configuration applied when the application has none. */
    public static final String DEFAULT_CONFIGURATION = "/io/gatehouse/server/internal/logging/gatehouse-logback.xml";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (applicationConfigures(Thread.currentThread().getContextClassLoader())
                || applicationConfigures(GatehouseLogging.class.getClassLoader())) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        URL configuration = GatehouseLogging.class.getResource(DEFAULT_CONFIGURATION);
        if (configuration == null) {
            addError("Gatehouse's logging configuration " + DEFAULT_CONFIGURATION + " is missing");
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(context);
        try {
            joran.doConfigure(configuration);
            return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
        } catch (JoranException e) {
            addError("Cannot apply Gatehouse's logging configuration", e);
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
    }

    /**
     * Switches every appender that encodes with {@link SafePatternLayoutEncoder} (all of Gatehouse's own
     * configuration's, and any of the application's that chose it) to {@code format}; appenders with other encoders
     * are the application's business and keep theirs. Returns the format they had before (text when there is none),
     * to switch back to when the server stops. Logging is one per process: the last server started decides.
     */
    public static LogFormat useFormat(LogFormat format) {
        LogFormat before = null;
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context) {
            for (Logger logger : context.getLoggerList()) {
                for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
                    if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender
                            && appender.getEncoder() instanceof SafePatternLayoutEncoder encoder) {
                        before = before == null ? encoder.format() : before;
                        encoder.useFormat(format);
                    }
                }
            }
        }
        if (before == null && format != LogFormat.TEXT) {
            LoggerFactory.getLogger(GatehouseLogging.class).warn("log-format {} has no effect: the application's logging "
                    + "configuration has no appender encoding with {}; its own encoders decide the format",
                    format.name().toLowerCase(java.util.Locale.ROOT), SafePatternLayoutEncoder.class.getName());
        }
        return before == null ? LogFormat.TEXT : before;
    }

    private static boolean applicationConfigures(ClassLoader loader) {
        if (System.getProperty("logback.configurationFile") != null) {
            return true;
        }
        return loader != null && (loader.getResource("logback-test.xml") != null || loader.getResource("logback.xml") != null);
    }
}
