package io.gatehouse.as.store;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import io.gatehouse.as.keys.KeyEncryptionKey;
import java.time.Clock;

/**
 * Random secrets every node of one database shares ({@code gh_secrets}), each sealed under the key-encryption key
 * (a compact JWE of an {@code oct} JWK, as the signing keys). The first node that asks for one makes it; of nodes
 * making it at once, {@link Jdbc#insertIfAbsent} keeps exactly one, and every node reads that one back.
 */
final class JdbcSecrets {

    private static final int BITS = 256;

    private final Jdbc jdbc;
    private final KeyEncryptionKey encryption;
    private final Clock clock;

    JdbcSecrets(Jdbc jdbc, KeyEncryptionKey encryption, Clock clock) {
        this.jdbc = jdbc;
        this.encryption = encryption;
        this.clock = clock;
    }

    byte[] secret(String name) {
        if (stored(name).isEmpty()) {
            try {
                JWK fresh = new OctetSequenceKeyGenerator(BITS).keyID(name).generate();
                jdbc.insertIfAbsent("INSERT INTO gh_secrets (secret_name, sealed, created_at) VALUES (?, ?, ?)", name,
                        encryption.seal(fresh), clock.millis());
            } catch (JOSEException e) {
                throw new IllegalStateException("cannot generate a secret", e);
            }
        }
        String sealed = stored(name).orElseThrow(() -> new IllegalStateException("the secret " + name + " was not stored"));
        JWK opened = encryption.open(sealed);
        if (!(opened instanceof OctetSequenceKey key) || key.toByteArray().length * 8 != BITS) {
            throw new IllegalStateException("the stored secret " + name + " is not a " + BITS + "-bit key");
        }
        return key.toByteArray();
    }

    private java.util.Optional<String> stored(String name) {
        return jdbc.one("SELECT sealed FROM gh_secrets WHERE secret_name = ?", rs -> rs.getString(1), name);
    }
}
