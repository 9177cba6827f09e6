package io.gatehouse.as.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Whether the store answers, for readiness checks anyone may ask for (the public {@code GET /health}): the store is
 * probed by at most one caller at a time and at most once per {@link #INTERVAL}; everyone else gets the last
 * result at once. So a flood of health checks costs at most one database connection, instead of taking the pool
 * (and with it the OAuth endpoints and the revocation check) from everyone else. Before the first probe has
 * answered the store counts as not ready.
 */
final class ReadinessProbe implements BooleanSupplier {

    static final Duration INTERVAL = Duration.ofSeconds(1);

    private final BooleanSupplier probe;
    private final Clock clock;
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile boolean reachable;
    private volatile Instant probedAt = Instant.MIN;

    ReadinessProbe(BooleanSupplier probe, Clock clock) {
        this.probe = probe;
        this.clock = clock;
    }

    @Override
    public boolean getAsBoolean() {
        if (!due() || !probing.compareAndSet(false, true)) {
            return reachable;
        }
        try {
            if (due()) { // another caller may have probed between the check and taking the turn
                reachable = probe.getAsBoolean();
                probedAt = clock.instant();
            }
            return reachable;
        } finally {
            probing.set(false);
        }
    }

    private boolean due() {
        return probedAt.equals(Instant.MIN) || !clock.instant().isBefore(probedAt.plus(INTERVAL));
    }
}
