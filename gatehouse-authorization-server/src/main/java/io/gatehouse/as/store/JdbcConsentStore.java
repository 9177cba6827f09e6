package io.gatehouse.as.store;

import io.gatehouse.as.authorize.ConsentStore;
import java.util.HashSet;
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
    public synchronized void grant(String username, String clientId, Set<String> scopes) {
        Set<String> all = new HashSet<>(granted(username, clientId));
        all.addAll(scopes);
        String joined = String.join(" ", all);
        jdbc.upsert("UPDATE gh_consents SET scopes = ? WHERE username = ? AND client_id = ?",
                "INSERT INTO gh_consents (scopes, username, client_id) VALUES (?, ?, ?)", joined, username, clientId);
    }
}
