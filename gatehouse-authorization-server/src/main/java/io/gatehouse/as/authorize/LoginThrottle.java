package io.gatehouse.as.authorize;

import io.gatehouse.as.clients.Secrets;
import java.time.Clock;
import java.time.Duration;

/**
 * Slows password guessing on the login form: at most {@code maxFailures} failed attempts for one username, and
 * four times that from one address, within a fixed window; further attempts are refused until the window has
 * passed. The counters are in {@link LoginAttempts}, shared by every node, so guesses spread over nodes count
 * together.
 *
 * <p>An attempt is reserved, atomically with the check, before the password is verified: it counts as a failure
 * from the moment it is admitted, so concurrent guesses (on any node) cannot all pass the check while the (slow)
 * hash of the first is still running. The user's reservation is taken first, then the address's; when the
 * address is at its limit the user's is given back, so a refused attempt counts nothing. A successful login
 * forgives the user's failures and releases its own reservation from the address.
 *
 * <p>The window is fixed (it starts with a key's first attempt and lasts {@code window}), where an earlier,
 * single-node version slid: a guesser may get up to twice the limit around a window's end, never more.
 * Keys are stored as SHA-256 hashes, so the store holds no usernames.
 */
final class LoginThrottle {

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final LoginAttempts attempts;

    LoginThrottle(int maxFailures, Duration window, Clock clock, LoginAttempts attempts) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
        this.attempts = attempts;
    }

    /**
     * Admits one login attempt for this username from this address and counts it as a failure, or refuses it
     * (answers false, counts nothing) when either is over its limit.
     */
    boolean tryAcquire(String username, String address) {
        String user = userKey(username);
        if (!attempts.tryReserve(user, maxFailures, clock.instant(), window)) {
            return false;
        }
        if (!attempts.tryReserve(addressKey(address), maxFailures * 4, clock.instant(), window)) {
            attempts.release(user);
            return false;
        }
        return true;
    }

    /** The admitted attempt succeeded: the user's failures are forgiven and the address's reservation released. */
    void succeeded(String username, String address) {
        attempts.forget(userKey(username));
        attempts.release(addressKey(address));
    }

    void cleanUp() {
        attempts.deleteExpired(clock.instant(), window);
    }

    /** How many usernames and addresses are tracked. */
    long trackedKeys() {
        return attempts.tracked();
    }

    private static String userKey(String username) {
        return Secrets.hash("user:" + username);
    }

    private static String addressKey(String address) {
        return Secrets.hash("addr:" + address);
    }
}
