package io.gatehouse.as.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatehouse.as.authorize.LoginAttempts;
import java.time.Duration;
import java.time.Instant;

/** The login throttle's counters in this process (one node): at most {@link StoreBounds#loginKeys()} keys. */
final class InMemoryLoginAttempts implements LoginAttempts {

    private record Window(Instant start, int attempts) {
    }

    private final Cache<String, Window> windows;

    InMemoryLoginAttempts(StoreBounds bounds) {
        this.windows = Caffeine.newBuilder().maximumSize(bounds.loginKeys()).executor(Runnable::run).build();
    }

    @Override
    public boolean tryReserve(String key, int limit, Instant now, Duration window) {
        boolean[] admitted = {false};
        windows.asMap().compute(key, (k, w) -> {
            if (w == null || !now.isBefore(w.start().plus(window))) {
                admitted[0] = limit > 0;
                return admitted[0] ? new Window(now, 1) : null;
            }
            if (w.attempts() >= limit) {
                return w;
            }
            admitted[0] = true;
            return new Window(w.start(), w.attempts() + 1);
        });
        return admitted[0];
    }

    @Override
    public void release(String key) {
        windows.asMap().computeIfPresent(key, (k, w) -> new Window(w.start(), Math.max(0, w.attempts() - 1)));
    }

    @Override
    public void forget(String key) {
        windows.invalidate(key);
    }

    @Override
    public void deleteExpired(Instant now, Duration window) {
        windows.asMap().values().removeIf(w -> !now.isBefore(w.start().plus(window)));
    }

    @Override
    public long tracked() {
        windows.cleanUp();
        return windows.estimatedSize();
    }
}
