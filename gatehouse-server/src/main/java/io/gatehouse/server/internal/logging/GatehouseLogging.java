package io.gatehouse.server.internal.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.net.URL;

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

    private static boolean applicationConfigures(ClassLoader loader) {
        if (System.getProperty("logback.configurationFile") != null) {
            return true;
        }
        return loader != null && (loader.getResource("logback-test.xml") != null || loader.getResource("logback.xml") != null);
    }
}
