package io.gatehouse.as.authorize;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Slows password guessing on the login form: at most {@code maxFailures} failed attempts for one username, and
 * four times that from one address, within the window; further attempts are refused until the window has passed.
 *
 * <p>An attempt is reserved, atomically with the check, before the password is verified: it counts as a failure
 * from the moment it is admitted, so concurrent guesses cannot all pass the check while the (slow) hash of the
 * first is still running. A successful login forgives the user's failures and releases its own reservation.
 *
 * <p>Keys come from the client (any username), so the table is bounded: at most {@link #MAX_KEYS} usernames and
 * addresses are tracked, each with at most its limit of timestamps, and a key unused for a window is dropped.
 */
final class LoginThrottle {

    static final long MAX_KEYS = 100_000;

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Cache<String, Deque<Instant>> attempts;

    LoginThrottle(int maxFailures, Duration window, Clock clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
        this.attempts = Caffeine.newBuilder().maximumSize(MAX_KEYS).expireAfterAccess(window).executor(Runnable::run).build();
    }

    /**
     * Admits one login attempt for this username from this address and counts it as a failure, or refuses it
     * (answers false, counts nothing) when either is over its limit.
     */
    synchronized boolean tryAcquire(String username, String address) {
        Instant now = clock.instant();
        Deque<Instant> user = recent(userKey(username), now);
        Deque<Instant> from = recent(addressKey(address), now);
        if (user.size() >= maxFailures || from.size() >= maxFailures * 4) {
            return false;
        }
        user.addLast(now);
        from.addLast(now);
        attempts.put(userKey(username), user);
        attempts.put(addressKey(address), from);
        return true;
    }

    /** The admitted attempt succeeded: the user's failures are forgiven and the address's reservation released. */
    synchronized void succeeded(String username, String address) {
        attempts.invalidate(userKey(username));
        Deque<Instant> from = attempts.getIfPresent(addressKey(address));
        if (from != null) {
            from.pollLast();
        }
    }

    /** How many usernames and addresses are tracked. */
    long trackedKeys() {
        attempts.cleanUp();
        return attempts.estimatedSize();
    }

    private Deque<Instant> recent(String key, Instant now) {
        Deque<Instant> times = attempts.getIfPresent(key);
        if (times == null) {
            return new ArrayDeque<>();
        }
        Instant since = now.minus(window);
        while (!times.isEmpty() && times.peekFirst().isBefore(since)) {
            times.pollFirst();
        }
        return times;
    }

    private static String userKey(String username) {
        return "user:" + username;
    }

    private static String addressKey(String address) {
        return "addr:" + address;
    }
}
