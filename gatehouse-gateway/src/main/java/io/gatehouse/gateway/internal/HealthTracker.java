package io.gatehouse.gateway.internal;

import io.gatehouse.gateway.UpstreamHealth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One upstream's health and restart backoff, shared by its sessions: up / starting / down with the last error,
 * the count of failures since the last success (each doubles the wait before the next start, from 1 s up to
 * 30 s), and the open-session count bounded by max-sessions. Thread-safe.
 */
public final class HealthTracker {

    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final String name;
    private final Clock clock;
    private UpstreamHealth.State state = UpstreamHealth.State.UP;
    private String lastError;
    private Instant lastErrorAt;
    private int failures;
    private Instant notBefore = Instant.MIN;
    private int openSessions;

    HealthTracker(String name, Clock clock) {
        this.name = name;
        this.clock = clock;
    }

    synchronized UpstreamHealth snapshot() {
        return new UpstreamHealth(name, state, Optional.ofNullable(lastError), Optional.ofNullable(lastErrorAt), failures,
                openSessions);
    }

    synchronized void starting() {
        state = UpstreamHealth.State.STARTING;
    }

    synchronized void success() {
        state = UpstreamHealth.State.UP;
        failures = 0;
        notBefore = Instant.MIN;
    }

    /** A failed start or a crash: down, and the next start waits 1 s, 2 s, 4 s ... up to 30 s. */
    synchronized void failure(String error) {
        state = UpstreamHealth.State.DOWN;
        lastError = error;
        lastErrorAt = clock.instant();
        failures++;
        notBefore = lastErrorAt.plus(backoff(failures));
    }

    /** How long the next start must still wait. */
    synchronized Duration backoffRemaining() {
        Duration remaining = Duration.between(clock.instant(), notBefore.isBefore(Instant.EPOCH) ? Instant.EPOCH : notBefore);
        return remaining.isNegative() ? Duration.ZERO : remaining;
    }

    synchronized boolean tryOpenSession(int max) {
        if (openSessions >= max) {
            return false;
        }
        openSessions++;
        return true;
    }

    synchronized void sessionClosed() {
        openSessions = Math.max(0, openSessions - 1);
    }

    static Duration backoff(int failures) {
        long seconds = FIRST_BACKOFF.toSeconds() << Math.min(failures - 1, 10);
        return seconds >= MAX_BACKOFF.toSeconds() ? MAX_BACKOFF : Duration.ofSeconds(seconds);
    }
}
