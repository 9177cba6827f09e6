package io.gatehouse.as.store;

import io.gatehouse.as.authorize.BrowserStateStore;
import io.gatehouse.as.authorize.ConsentStore;
import io.gatehouse.as.authorize.LoginAttempts;
import io.gatehouse.as.clients.ClientStore;
import io.gatehouse.as.keys.KeyStore;
import io.gatehouse.as.token.GrantStore;
import java.util.function.BooleanSupplier;

/**
 * Every store the authorization server needs, in memory (one node) or in a database (shared by every node),
 * chosen together.
 *
 * @param browsers      signed-in browser sessions and pending authorizations
 * @param loginAttempts the login throttle's counters
 * @param upstreamLogins federated login: sign-ins started at the upstream provider and the logins made there
 * @param reachable     whether the stores answer now (readiness); always true in memory
 */
public record AsStores(ClientStore clients, ConsentStore consents, GrantStore grants, KeyStore keys, BrowserStateStore browsers,
                       LoginAttempts loginAttempts, io.gatehouse.as.federation.UpstreamLoginStore upstreamLogins,
                       BooleanSupplier reachable) {

    /** Everything in memory except the signing keys, which come from {@code keys}. */
    public static AsStores inMemory(KeyStore keys) {
        return inMemory(keys, StoreBounds.DEFAULT);
    }

    static AsStores inMemory(KeyStore keys, StoreBounds bounds) {
        InMemoryConsentStore consents = new InMemoryConsentStore();
        return new AsStores(new InMemoryClientStore(consents), consents, new InMemoryGrantStore(), keys,
                new InMemoryBrowserStateStore(bounds), new InMemoryLoginAttempts(bounds), new InMemoryUpstreamLoginStore(bounds), () -> true);
    }
}
