package io.gatehouse.as.store;

import io.gatehouse.as.clients.ClientOrigin;
import io.gatehouse.as.clients.ClientStore;
import io.gatehouse.as.clients.RegisteredClient;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Registered clients in the {@code gh_clients} table. */
final class JdbcClientStore implements ClientStore {

    private final Jdbc jdbc;

    JdbcClientStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<RegisteredClient> find(String clientId) {
        return jdbc.one("SELECT client_id, secret_hash, name, redirect_uris, grant_types, auth_method, application_type, "
                + "allowed_scopes, registered_at, origin, introspection FROM gh_clients WHERE client_id = ?", rs -> new RegisteredClient(
                rs.getString(1), Optional.ofNullable(rs.getString(2)), rs.getString(3),
                Arrays.stream(rs.getString(4).split(" ")).filter(s -> !s.isEmpty()).map(URI::create).toList(),
                words(rs.getString(5)), rs.getString(6), rs.getString(7), words(rs.getString(8)),
                Instant.ofEpochMilli(rs.getLong(9)), ClientOrigin.ofStored(rs.getString(10)), rs.getBoolean(11)), clientId);
    }

    @Override
    public void save(RegisteredClient c) {
        String uris = c.redirectUris().stream().map(URI::toString).collect(Collectors.joining(" "));
        Object[] values = {c.secretHash().orElse(null), c.name(), uris, String.join(" ", c.grantTypes()), c.authMethod(),
                c.applicationType(), String.join(" ", c.allowedScopes()), c.registeredAt().toEpochMilli(), c.origin().storedValue(),
                c.introspection(), c.clientId()};
        // several nodes starting at once save the same pre-registered clients: a concurrent insert is not an error
        jdbc.upsert("UPDATE gh_clients SET secret_hash = ?, name = ?, redirect_uris = ?, grant_types = ?, auth_method = ?, "
                + "application_type = ?, allowed_scopes = ?, registered_at = ?, origin = ?, introspection = ? WHERE client_id = ?",
                "INSERT INTO gh_clients (secret_hash, name, redirect_uris, grant_types, auth_method, application_type, "
                + "allowed_scopes, registered_at, origin, introspection, client_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values);
    }

    @Override
    public int removeUnusedSelfRegistered(Instant before) {
        return jdbc.update("DELETE FROM gh_clients WHERE origin = ? AND registered_at < ? AND NOT EXISTS "
                + "(SELECT 1 FROM gh_consents WHERE gh_consents.client_id = gh_clients.client_id)",
                ClientOrigin.SELF_REGISTERED.storedValue(), before.toEpochMilli());
    }

    @Override
    public int count() {
        return jdbc.one("SELECT COUNT(*) FROM gh_clients", rs -> rs.getInt(1)).orElse(0);
    }

    static Set<String> words(String text) {
        return Arrays.stream(text.split(" ")).filter(s -> !s.isEmpty()).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }
}
