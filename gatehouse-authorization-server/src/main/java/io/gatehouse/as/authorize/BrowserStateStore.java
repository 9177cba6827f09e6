package io.gatehouse.as.authorize;

import java.time.Instant;
import java.util.Optional;

/**
 * Where the login and consent pages keep what must outlive one request, so that the next request of the same
 * browser may land on another node: signed-in browser sessions and pending authorizations (validated requests
 * waiting for login or consent). Both are keyed by the SHA-256 hash of their id ({@code Secrets.hash}), never by
 * the id itself: whoever reads the store cannot present a session cookie or a pending id. A pending
 * authorization is an opaque payload to the store.
 *
 * <p>Anyone can make the server keep a pending authorization (one unauthenticated GET), so implementations bound
 * what they hold, evicting the oldest; sessions need a password but are bounded too.
 */
public interface BrowserStateStore {

    /** A signed-in browser as stored: whose it is and until when. */
    record StoredSession(String username, Instant expiresAt) {
    }

    /** How many pending authorizations and sessions are held, and what the pending ones weigh (characters x 2, estimated). */
    record Held(long pending, long pendingBytes, long sessions) {
    }

    void putSession(String idHash, String username, Instant expiresAt);

    Optional<StoredSession> session(String idHash);

    /** Ends a signed-in browser session (sign-out). */
    void deleteSession(String idHash);

    /** Keeps a pending authorization, replacing one with the same id; may evict the oldest ones. */
    void putPending(String idHash, String payload, Instant expiresAt);

    Optional<String> pending(String idHash);

    /** Removes a pending authorization: true for exactly one of several concurrent callers, on any node. */
    boolean takePending(String idHash);

    /** Forgets what expired before {@code now}, and evicts the oldest beyond the bounds. */
    void deleteExpired(Instant now);

    Held held();
}
