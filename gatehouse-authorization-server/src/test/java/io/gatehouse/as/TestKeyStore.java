package io.gatehouse.as;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.gatehouse.as.keys.KeyStore;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Signing keys in memory. Each store starts with one RSA key generated once per test run (generating 2048-bit
 * keys for every test would dominate the run time); a rotation only changes this store.
 */
final class TestKeyStore implements KeyStore {

    private static final JWK SHARED = generate();

    private List<JWK> keys = List.of(SHARED);

    /** The signing key every new test server starts with, private half included. */
    static JWK sharedKey() {
        return SHARED;
    }

    @Override
    public synchronized List<JWK> load() {
        return keys;
    }

    @Override
    public synchronized void save(List<JWK> keys) {
        this.keys = List.copyOf(keys);
    }

    private static JWK generate() {
        try {
            return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .keyIDFromThumbprint(true).issueTime(Date.from(Instant.now().minusSeconds(3600))).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
