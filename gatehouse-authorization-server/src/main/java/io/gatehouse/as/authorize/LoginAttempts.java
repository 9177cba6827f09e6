package io.gatehouse.as.authorize;

import java.time.Duration;
import java.time.Instant;

/**
 * The login throttle's counters, shared by every node: per key (a hash of a username or a client address), how
 * many attempts were reserved in the current fixed window. A window starts with the first attempt after the
 * previous one ended and lasts {@code window}. Keys come from anyone, so implementations bound how many they track
 * (the oldest windows are dropped first).
 */
public interface LoginAttempts {

    /**
     * Reserves one attempt for {@code key} if fewer than {@code limit} were reserved in its current window,
     * atomically with the check (also against other nodes); false, reserving nothing, when at the limit.
     */
    boolean tryReserve(String key, int limit, Instant now, Duration window);

    /** Gives one reservation of the current window back (never below zero). */
    void release(String key);

    /** Forgets every reservation of {@code key}. */
    void forget(String key);

    /** Drops the keys whose window ended before {@code now}. */
    void deleteExpired(Instant now, Duration window);

    /** How many keys are tracked. */
    long tracked();
}
