package io.gatehouse.server.internal.metrics;

import io.gatehouse.transport.ServerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;

/**
 * The meters of one running Gatehouse: a Prometheus registry of its own (never a static global one), with the JVM's
 * meters (memory, garbage collection, threads, class loading, processor) bound, which the modules count into through
 * Micrometer's API alone, and which the management listener's {@code GET /metrics} serves. Only this class knows the
 * registry is Prometheus's.
 */
public final class GatehouseMetrics implements AutoCloseable {

    /** The Prometheus text format's media type (the Prometheus client's, which the registry writes when given it). */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public GatehouseMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    /** Where the modules register their meters. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The registry for the HTTP server, exposed on the management listener. */
    public ServerMetrics serverMetrics() {
        return new ServerMetrics(registry, Optional.of(this::scrape));
    }

    /** OpenMetrics when the scraper asks for it (Prometheus does), else the Prometheus text format 0.0.4. */
    private ServerMetrics.MetricsExposition.Scrape scrape(String accept) {
        String type = accept != null && accept.contains("application/openmetrics-text")
                ? OPEN_METRICS : PROMETHEUS_TEXT;
        return new ServerMetrics.MetricsExposition.Scrape(type, registry.scrape(type));
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
