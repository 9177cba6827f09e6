package io.gatehouse.gateway;

import java.time.Instant;
import java.util.Optional;

/**
 * An upstream's state for {@code /health}, as its sessions last saw it.
 *
 * @param name                the upstream's name
 * @param state               up, starting or down
 * @param lastError           the last failure (log-safe; never a secret), if any
 * @param lastErrorAt         when it happened
 * @param consecutiveFailures failures since the last success (drives the stdio restart backoff)
 * @param openSessions        sessions open now (stdio: running children)
 */
public record UpstreamHealth(String name, State state, Optional<String> lastError, Optional<Instant> lastErrorAt,
                             int consecutiveFailures, int openSessions) {

    /** The coarse state. */
    public enum State {
        /** The last connection attempt succeeded (or nothing has been tried yet and nothing failed). */
        UP,
        /** A connection is being made, or a restart waits for its backoff. */
        STARTING,
        /** The last attempt failed, or the last session ended by a crash. */
        DOWN
    }
}
