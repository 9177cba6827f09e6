package io.gatehouse.as.store;

import com.nimbusds.jose.jwk.JWK;
import io.gatehouse.as.keys.KeyStore;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;

/** Signing keys (private halves included) in the {@code gh_signing_keys} table, replaced together on rotation. */
final class JdbcKeyStore implements KeyStore {

    private final Jdbc jdbc;

    JdbcKeyStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<JWK> load() {
        return jdbc.query("SELECT jwk FROM gh_signing_keys ORDER BY created_at", rs -> {
            try {
                return JWK.parse(rs.getString(1));
            } catch (ParseException e) {
                throw new IllegalStateException("a stored signing key is damaged: " + e.getMessage(), e);
            }
        });
    }

    @Override
    public void save(List<JWK> keys) {
        List<String> sql = new ArrayList<>(List.of("DELETE FROM gh_signing_keys"));
        List<Object[]> params = new ArrayList<>();
        params.add(new Object[0]);
        long order = 0;
        for (JWK key : keys) {
            sql.add("INSERT INTO gh_signing_keys (kid, jwk, created_at) VALUES (?, ?, ?)");
            params.add(new Object[] {key.getKeyID(), key.toJSONString(), order++});
        }
        jdbc.transaction(sql, params);
    }
}
