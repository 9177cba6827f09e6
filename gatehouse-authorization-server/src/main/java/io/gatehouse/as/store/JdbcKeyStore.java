package io.gatehouse.as.store;

import com.nimbusds.jose.jwk.JWK;
import io.gatehouse.as.keys.KeyEncryptionKey;
import io.gatehouse.as.keys.KeyStore;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signing keys in the {@code gh_signing_keys} table, replaced together on rotation. Each is stored encrypted
 * under the {@link KeyEncryptionKey} (a compact JWE), so the table alone signs nothing. Keys an earlier version
 * stored as plain JWKs still load, and are rewritten encrypted at once. Rotation runs under a database lock
 * ({@link #exclusively}), so nodes rotating at the same moment rotate one after the other, each seeing the other's keys.
 */
final class JdbcKeyStore implements KeyStore {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcKeyStore.class);

    private final Jdbc jdbc;
    private final KeyEncryptionKey encryption;

    JdbcKeyStore(Jdbc jdbc, KeyEncryptionKey encryption) {
        this.jdbc = jdbc;
        this.encryption = encryption;
    }

    /** @throws KeyEncryptionKey.UnreadableKeyException when a stored key cannot be decrypted with this key-encryption key */
    @Override
    public List<JWK> load() {
        List<String> stored = jdbc.query("SELECT jwk FROM gh_signing_keys ORDER BY created_at", rs -> rs.getString(1));
        List<JWK> keys = new ArrayList<>();
        int plain = 0;
        for (String value : stored) {
            if (value.strip().startsWith("{")) {
                keys.add(parsePlain(value));
                plain++;
            } else {
                keys.add(encryption.open(value));
            }
        }
        if (plain > 0) {
            save(keys);
            LOG.info("Encrypted {} signing key(s) stored in plain text by an earlier version, with key-encryption key {}",
                    plain, encryption.id());
        }
        return keys;
    }

    private static JWK parsePlain(String value) {
        try {
            return JWK.parse(value);
        } catch (ParseException e) {
            // neither the value nor the parser's message (which may quote it) goes into the error
            throw new IllegalStateException("a stored signing key is damaged (not a valid JWK)");
        }
    }

    /** Under the {@code signing-keys} row of {@code gh_locks}: one node at a time, across every node of the database. */
    @Override
    public <T> T exclusively(java.util.function.Supplier<T> work) {
        return jdbc.locked("signing-keys", work);
    }

    @Override
    public void save(List<JWK> keys) {
        List<String> sql = new ArrayList<>(List.of("DELETE FROM gh_signing_keys"));
        List<Object[]> params = new ArrayList<>();
        params.add(new Object[0]);
        long order = 0;
        for (JWK key : keys) {
            sql.add("INSERT INTO gh_signing_keys (kid, jwk, created_at) VALUES (?, ?, ?)");
            params.add(new Object[] {key.getKeyID(), encryption.seal(key), order++});
        }
        jdbc.transaction(sql, params);
    }
}
