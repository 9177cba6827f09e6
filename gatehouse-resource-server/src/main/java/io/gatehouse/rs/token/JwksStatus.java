package io.gatehouse.rs.token;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * What is known about the remote JWKS, for {@code /health}: where it is, whether the last fetch worked, when keys
 * were last fetched, and how many there were. Never holds key material. Each fetch is counted in
 * {@code gatehouse.jwks.refreshes} by {@code outcome} ({@code ok} or {@code failed}).
 */
public final class JwksStatus {

    /** A snapshot for reporting. */
    public record Snapshot(String url, Optional<Instant> lastFetch, Optional<Instant> lastSuccess, boolean reachable,
                           int keys, Optional<String> lastError) {
    }

    private final Clock clock;
    private volatile String url = "(not resolved yet)";
    private volatile Instant lastFetch;
    private volatile Instant lastSuccess;
    private volatile boolean reachable;
    private volatile int keys;
    private volatile String lastError;
    private final Counter refreshed;
    private final Counter refreshFailed;

    /** A status whose fetches are counted nowhere anyone reads. */
    public JwksStatus(Clock clock) {
        this(clock, new SimpleMeterRegistry());
    }

    /** @param registry where the fetches are counted */
    public JwksStatus(Clock clock, MeterRegistry registry) {
        this.clock = clock;
        this.refreshed = refreshes(registry, "ok");
        this.refreshFailed = refreshes(registry, "failed");
    }

    private static Counter refreshes(MeterRegistry registry, String outcome) {
        return Counter.builder("gatehouse.jwks.refreshes").tag("outcome", outcome)
                .description("Fetches of the authorization server's JWKS").register(registry);
    }

    void resolved(String url) {
        this.url = url;
    }

    void fetched(int keyCount) {
        Instant now = clock.instant();
        lastFetch = now;
        lastSuccess = now;
        reachable = true;
        keys = keyCount;
        lastError = null;
        refreshed.increment();
    }

    void failed(String error) {
        lastFetch = clock.instant();
        reachable = false;
        lastError = error;
        refreshFailed.increment();
    }

    public Snapshot snapshot() {
        return new Snapshot(url, Optional.ofNullable(lastFetch), Optional.ofNullable(lastSuccess), reachable, keys,
                Optional.ofNullable(lastError));
    }
}
