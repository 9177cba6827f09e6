package io.gatehouse.rs.token;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * What is known about the remote JWKS, for {@code /health}: where it is, whether the last fetch worked, when keys
 * were last fetched, and how many there were. Never holds key material.
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

    public JwksStatus(Clock clock) {
        this.clock = clock;
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
    }

    void failed(String error) {
        lastFetch = clock.instant();
        reachable = false;
        lastError = error;
    }

    public Snapshot snapshot() {
        return new Snapshot(url, Optional.ofNullable(lastFetch), Optional.ofNullable(lastSuccess), reachable, keys,
                Optional.ofNullable(lastError));
    }
}
