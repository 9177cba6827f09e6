package io.gatehouse.as.store;

import io.gatehouse.as.authorize.ConsentStore;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Remembered consents in the {@code gh_consents} table. */
final class JdbcConsentStore implements ConsentStore {

    private final Jdbc jdbc;

    JdbcConsentStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Set<String> granted(String username, String clientId) {
        return jdbc.one("SELECT scopes FROM gh_consents WHERE username = ? AND client_id = ?",
                rs -> JdbcClientStore.words(rs.getString(1)), username, clientId).orElse(Set.of());
    }

    @Override
    public synchronized void grant(String username, String clientId, Set<String> scopes, Instant at) {
        Set<String> all = new HashSet<>(granted(username, clientId));
        all.addAll(scopes);
        String joined = String.join(" ", all);
        jdbc.upsert("UPDATE gh_consents SET scopes = ?, granted_at = ? WHERE username = ? AND client_id = ?",
                "INSERT INTO gh_consents (scopes, granted_at, username, client_id) VALUES (?, ?, ?, ?)", joined, at.toEpochMilli(),
                username, clientId);
    }

    @Override
    public List<Consent> consentsOf(String username) {
        // FETCH FIRST (SQL:2008) is understood by H2 and PostgreSQL alike
        return jdbc.query("SELECT client_id, scopes, granted_at FROM gh_consents WHERE username = ? "
                        + "ORDER BY granted_at DESC, client_id FETCH FIRST " + MAX_LISTED + " ROWS ONLY",
                rs -> new Consent(rs.getString(1), JdbcClientStore.words(rs.getString(2)), Instant.ofEpochMilli(rs.getLong(3))), username);
    }

    @Override
    public boolean revoke(String username, String clientId) {
        return jdbc.update("DELETE FROM gh_consents WHERE username = ? AND client_id = ?", username, clientId) > 0;
    }
}
