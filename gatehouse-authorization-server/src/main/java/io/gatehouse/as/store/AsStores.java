package io.gatehouse.as.store;

import io.gatehouse.as.authorize.ConsentStore;
import io.gatehouse.as.clients.ClientStore;
import io.gatehouse.as.keys.KeyStore;
import io.gatehouse.as.token.GrantStore;

/** Every store the authorization server needs, in memory or in a database, chosen together. */
public record AsStores(ClientStore clients, ConsentStore consents, GrantStore grants, KeyStore keys) {

    /** Everything in memory except the signing keys, which come from {@code keys}. */
    public static AsStores inMemory(KeyStore keys) {
        return new AsStores(new InMemoryClientStore(), new InMemoryConsentStore(), new InMemoryGrantStore(), keys);
    }
}
