package io.gatehouse.as.authorize;

import java.util.Set;

/** Remembered consents: which scopes a user has allowed a client. */
public interface ConsentStore {
    /** The scopes this user has allowed this client; empty when they never consented. */
    Set<String> granted(String username, String clientId);

    void grant(String username, String clientId, Set<String> scopes);

    /**
     * Whether the user already consented to every one of {@code scopes} for this client. An empty set is never
     * covered: "nothing to ask about" is not a consent.
     */
    default boolean covers(String username, String clientId, Set<String> scopes) {
        return !scopes.isEmpty() && granted(username, clientId).containsAll(scopes);
    }
}
