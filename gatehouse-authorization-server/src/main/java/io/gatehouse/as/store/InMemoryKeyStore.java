package io.gatehouse.as.store;

import com.nimbusds.jose.jwk.JWK;
import io.gatehouse.as.keys.KeyStore;
import java.util.List;

/** Signing keys in memory (lost on restart): for tests. */
public final class InMemoryKeyStore implements KeyStore {

    private volatile List<JWK> keys = List.of();

    @Override
    public List<JWK> load() {
        return keys;
    }

    @Override
    public void save(List<JWK> keys) {
        this.keys = List.copyOf(keys);
    }
}
