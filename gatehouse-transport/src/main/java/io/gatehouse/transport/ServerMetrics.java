package io.gatehouse.transport;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the HTTP server counts what it serves, and what its management listener shows of it. The server registers
 * in {@code registry}: {@code gatehouse.mcp.requests} (a timer by MCP method and outcome), the gauges
 * {@code gatehouse.mcp.sessions.open} and {@code gatehouse.mcp.streams.open}, and Jetty's thread pool and connections.
 * The registry belongs to one running server (never a static global one); the server wiring makes it.
 *
 * @param registry   where meters are registered
 * @param exposition what {@code GET /metrics} on the management listener answers; empty for no {@code /metrics}
 */
public record ServerMetrics(MeterRegistry registry, Optional<MetricsExposition> exposition) {

    public ServerMetrics {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(exposition, "exposition");
    }

    /** Meters nobody reads, and no {@code /metrics}. */
    public static ServerMetrics unexposed() {
        return new ServerMetrics(new SimpleMeterRegistry(), Optional.empty());
    }

    /**
     * The registry's meters as text for a scraper (Prometheus, OpenMetrics), answered on the management listener only.
     * Never a secret: meter names and fixed label values.
     */
    @FunctionalInterface
    public interface MetricsExposition {

        /** The meters now, in the format {@code accept} (the request's {@code Accept} header, maybe null) prefers. */
        Scrape scrape(String accept);

        /** A scrape's body and its {@code Content-Type}. */
        record Scrape(String contentType, String body) {
        }
    }
}
