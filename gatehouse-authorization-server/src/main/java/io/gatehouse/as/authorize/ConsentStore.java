package io.gatehouse.as.authorize;

import java.util.Set;

/** Remembered consents: which scopes a user has allowed a client. */
public interface ConsentStore {
    Set<String> granted(String username, String clientId);

    void grant(String username, String clientId, Set<String> scopes);
}
