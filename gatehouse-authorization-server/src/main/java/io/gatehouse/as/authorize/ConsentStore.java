package io.gatehouse.as.authorize;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Remembered consents: which scopes a user has allowed a client, and when they last allowed it. */
public interface ConsentStore {

    /** The most consents {@link #consentsOf} answers: the account page lists at most this many clients. */
    int MAX_LISTED = 200;

    /**
     * One remembered consent.
     *
     * @param grantedAt when the user last approved this client (the epoch for consents stored before it was recorded)
     */
    record Consent(String clientId, Set<String> scopes, Instant grantedAt) {
        public Consent {
            scopes = Set.copyOf(scopes);
        }
    }

    /** The scopes this user has allowed this client; empty when they never consented. */
    Set<String> granted(String username, String clientId);

    /** Adds {@code scopes} to what this user allowed this client, approved {@code at}. */
    void grant(String username, String clientId, Set<String> scopes, Instant at);

    /** This user's consents, the most recent first, at most {@link #MAX_LISTED}. */
    List<Consent> consentsOf(String username);

    /** Forgets this user's consent to this client; false when there was none. Other users' consents stay. */
    boolean revoke(String username, String clientId);

    /**
     * Whether the user already consented to every one of {@code scopes} for this client. An empty set is never
     * covered: "nothing to ask about" is not a consent.
     */
    default boolean covers(String username, String clientId, Set<String> scopes) {
        return !scopes.isEmpty() && granted(username, clientId).containsAll(scopes);
    }
}
