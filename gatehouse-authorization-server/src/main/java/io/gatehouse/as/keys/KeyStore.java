package io.gatehouse.as.keys;

import com.nimbusds.jose.jwk.JWK;
import java.util.List;
import java.util.function.Supplier;

/** Where the authorization server's signing keys (private halves included) are kept. */
public interface KeyStore {
    List<JWK> load();

    void save(List<JWK> keys);

    /**
     * Runs {@code work} (which loads and saves) while no other caller holding this store's rotation lock runs: across
     * nodes for a shared store (a database lock), within the process otherwise (this object's monitor, the default).
     */
    default <T> T exclusively(Supplier<T> work) {
        synchronized (this) {
            return work.get();
        }
    }
}
