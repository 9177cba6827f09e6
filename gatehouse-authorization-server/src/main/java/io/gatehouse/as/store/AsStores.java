package io.gatehouse.as.store;

import io.gatehouse.as.authorize.ConsentStore;
import io.gatehouse.as.clients.ClientStore;
import io.gatehouse.as.keys.KeyStore;
import io.gatehouse.as.token.GrantStore;
import java.util.function.BooleanSupplier;

/**
 * Every store the authorization server needs, in memory or in a database, chosen together.
 *
 * @param reachable whether the stores answer now (readiness); always true in memory
 */
public record AsStores(ClientStore clients, ConsentStore consents, GrantStore grants, KeyStore keys, BooleanSupplier reachable) {

    /** Stores that are always reachable (in memory). */
    public AsStores(ClientStore clients, ConsentStore consents, GrantStore grants, KeyStore keys) {
        this(clients, consents, grants, keys, () -> true);
    }

    /** Everything in memory except the signing keys, which come from {@code keys}. */
    public static AsStores inMemory(KeyStore keys) {
        InMemoryConsentStore consents = new InMemoryConsentStore();
        return new AsStores(new InMemoryClientStore(consents), consents, new InMemoryGrantStore(), keys);
    }
}
