package io.gatehouse.transport;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty's own meters, with Micrometer's Jetty binders (they work with Jetty 12's core API): the thread pool
 * ({@code jetty.threads.*}) and the public listener's connections ({@code jetty.connections.*}, tagged
 * {@code connector=public}); the management listener's own scrapes are not counted.
 */
final class JettyMetrics {

    private JettyMetrics() {
    }

    /** Binds the meters; the connection listener must be added before the server starts. */
    static void bind(MeterRegistry registry, QueuedThreadPool threads, ServerConnector publicConnector) {
        new JettyServerThreadPoolMetrics(threads, Tags.empty()).bindTo(registry);
        publicConnector.addBean(new JettyConnectionMetrics(registry, Tags.of("connector", "public")));
    }
}
