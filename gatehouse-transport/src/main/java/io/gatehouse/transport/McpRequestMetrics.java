package io.gatehouse.transport;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * {@code gatehouse.mcp.requests}: a timer of the POSTs to the MCP endpoint, by {@code method} and {@code outcome},
 * with histogram buckets at fixed service levels ({@link #BUCKETS}: 5 ms to 30 s) for latency percentiles and SLOs. Both labels come from fixed sets, whatever clients send: the method is
 * one of {@link #METHODS} ({@code other} for any other name, {@code unknown} when the request was refused before its
 * body was read, e.g. 401), the outcome one of {@link #OUTCOMES}. At most {@code |METHODS| × |OUTCOMES|} timers exist.
 */
final class McpRequestMetrics {

    /** The MCP methods counted by name: the requests and notifications of the revisions this server speaks. */
    static final List<String> METHODS = List.of("initialize", "ping", "tools/list", "tools/call", "prompts/list",
            "prompts/get", "resources/list", "resources/templates/list", "resources/read", "resources/subscribe",
            "resources/unsubscribe", "completion/complete", "logging/setLevel", "subscriptions/listen", "server/discover",
            "notifications/initialized", "notifications/cancelled", "notifications/progress",
            "notifications/roots/list_changed");
    static final String OTHER = "other";
    static final String UNKNOWN = "unknown";
    /**
     * ok: a result; error: a JSON-RPC error answer; accepted: a notification or a client's response (202);
     * unauthenticated: 401; forbidden: 403; rejected: any other 4xx; unavailable: 503; failed: a bug (500).
     */
    static final List<String> OUTCOMES = List.of("ok", "error", "accepted", "unauthenticated", "forbidden", "rejected",
            "unavailable", "failed");

    /** The histogram's buckets: few and fixed, so each method and outcome costs 13 series, whatever the traffic. */
    static final Duration[] BUCKETS = Stream.of(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000)
            .map(Duration::ofMillis).toArray(Duration[]::new);

    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    McpRequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The label for a method a client named. */
    static String methodLabel(String method) {
        return METHODS.contains(method) ? method : OTHER;
    }

    /** The outcome of a refusal with this HTTP status. */
    static String outcomeOf(int status) {
        return switch (status) {
            case 401 -> "unauthenticated";
            case 403 -> "forbidden";
            case 503 -> "unavailable";
            default -> status >= 500 ? "failed" : "rejected";
        };
    }

    /** One POST being served; {@link Exchange#end} records it. */
    Exchange begin() {
        return new Exchange(System.nanoTime());
    }

    final class Exchange {

        private final long started;
        private String method = UNKNOWN;
        private String outcome = "failed";

        private Exchange(long started) {
            this.started = started;
        }

        void method(String name) {
            method = methodLabel(name);
        }

        void outcome(String value) {
            outcome = value;
        }

        void end() {
            timer(method, outcome).record(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private Timer timer(String method, String outcome) {
        return timers.computeIfAbsent(method + ' ' + outcome, key -> Timer.builder("gatehouse.mcp.requests")
                .tag("method", method).tag("outcome", outcome)
                .description("POSTs to the MCP endpoint, by MCP method and outcome")
                .serviceLevelObjectives(BUCKETS)
                .register(registry));
    }
}
