package io.gatehouse.as.store;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import io.gatehouse.as.federation.UpstreamLoginStore;
import io.gatehouse.as.keys.KeyEncryptionKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Federated login state in the database ({@code gh_upstream_states}, {@code gh_upstream_logins},
 * {@code gh_upstream_links}, migration V6), so a browser and a refresh may continue on any node. A started sign-in is
 * taken out by a {@code DELETE} only one caller can win; the table is capped like pending authorizations. The
 * provider's refresh and ID tokens are sealed under the key-encryption key (dir/A256GCM JWE, as the signing keys).
 */
final class JdbcUpstreamLoginStore implements UpstreamLoginStore {

    private static final String LOGIN_COLUMNS = "login_id, subject, username, roles, scopes, refresh_token, id_token, checked_at, expires_at";

    private final Jdbc jdbc;
    private final KeyEncryptionKey encryption;
    private final RowCap startedCap;

    JdbcUpstreamLoginStore(Jdbc jdbc, KeyEncryptionKey encryption, StoreBounds bounds) {
        this.jdbc = jdbc;
        this.encryption = encryption;
        this.startedCap = new RowCap(jdbc, "gh_upstream_states", "expires_at", "state_hash", bounds.pendingRows(), bounds.checkEvery());
    }

    @Override
    public void putStarted(String stateHash, StartedLogin login) {
        jdbc.update("INSERT INTO gh_upstream_states (state_hash, binding_hash, pending_hash, expires_at) VALUES (?, ?, ?, ?)",
                stateHash, login.bindingHash(), login.pendingHash(), login.expiresAt().toEpochMilli());
        startedCap.inserted();
    }

    @Override
    public Optional<StartedLogin> takeStarted(String stateHash) {
        Optional<StartedLogin> found = jdbc.one("SELECT binding_hash, pending_hash, expires_at FROM gh_upstream_states WHERE state_hash = ?",
                rs -> new StartedLogin(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3))), stateHash);
        if (found.isEmpty() || jdbc.update("DELETE FROM gh_upstream_states WHERE state_hash = ?", stateHash) != 1) {
            return Optional.empty();
        }
        return found;
    }

    @Override
    public void putLogin(String sessionHash, Login login) {
        jdbc.update("INSERT INTO gh_upstream_logins (" + LOGIN_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", login.loginId(),
                login.subject(), login.username(), String.join(" ", login.roles()), String.join(" ", login.allowedScopes()),
                login.refreshToken().map(this::seal).orElse(null), login.idToken().map(this::seal).orElse(null),
                login.checkedAt().toEpochMilli(), login.expiresAt().toEpochMilli());
        link("s:" + sessionHash, login.loginId(), login.expiresAt());
    }

    private void link(String key, String loginId, Instant expiresAt) {
        jdbc.upsert("UPDATE gh_upstream_links SET login_id = ?, expires_at = ? WHERE link_key = ?",
                "INSERT INTO gh_upstream_links (login_id, expires_at, link_key) VALUES (?, ?, ?)", loginId, expiresAt.toEpochMilli(), key);
    }

    @Override
    public Optional<Login> loginOfSession(String sessionHash) {
        return loginOf("s:" + sessionHash);
    }

    @Override
    public void linkFamily(String familyId, String loginId) {
        Optional<Long> expires = jdbc.one("SELECT expires_at FROM gh_upstream_logins WHERE login_id = ?", rs -> rs.getLong(1), loginId);
        expires.ifPresent(e -> link("f:" + familyId, loginId, Instant.ofEpochMilli(e)));
    }

    @Override
    public Optional<Login> loginOfFamily(String familyId) {
        return loginOf("f:" + familyId);
    }

    private Optional<Login> loginOf(String linkKey) {
        return jdbc.one("SELECT l." + LOGIN_COLUMNS.replace(", ", ", l.") + " FROM gh_upstream_links k JOIN gh_upstream_logins l "
                + "ON l.login_id = k.login_id WHERE k.link_key = ?", rs -> new Login(rs.getString(1), rs.getString(2), rs.getString(3),
                words(rs.getString(4)), words(rs.getString(5)), Optional.ofNullable(rs.getString(6)).map(this::open),
                Optional.ofNullable(rs.getString(7)).map(this::open), Instant.ofEpochMilli(rs.getLong(8)),
                Instant.ofEpochMilli(rs.getLong(9))), linkKey);
    }

    @Override
    public Set<String> familiesOfLogin(String loginId) {
        Set<String> families = new LinkedHashSet<>();
        jdbc.query("SELECT link_key FROM gh_upstream_links WHERE login_id = ?", rs -> rs.getString(1), loginId).stream()
                .filter(k -> k.startsWith("f:")).map(k -> k.substring(2)).forEach(families::add);
        return families;
    }

    @Override
    public void rolesChanged(String loginId, Set<String> roles, Set<String> allowedScopes) {
        jdbc.update("UPDATE gh_upstream_logins SET roles = ?, scopes = ? WHERE login_id = ?", String.join(" ", roles),
                String.join(" ", allowedScopes), loginId);
    }

    @Override
    public void checked(String loginId, Optional<String> refreshToken, Instant checkedAt) {
        if (refreshToken.isPresent()) {
            jdbc.update("UPDATE gh_upstream_logins SET refresh_token = ?, checked_at = ? WHERE login_id = ?", seal(refreshToken.get()),
                    checkedAt.toEpochMilli(), loginId);
        } else {
            jdbc.update("UPDATE gh_upstream_logins SET checked_at = ? WHERE login_id = ?", checkedAt.toEpochMilli(), loginId);
        }
    }

    @Override
    public void deleteLogin(String loginId) {
        jdbc.update("DELETE FROM gh_upstream_links WHERE login_id = ?", loginId);
        jdbc.update("DELETE FROM gh_upstream_logins WHERE login_id = ?", loginId);
    }

    @Override
    public void deleteExpired(Instant now) {
        jdbc.update("DELETE FROM gh_upstream_states WHERE expires_at <= ?", now.toEpochMilli());
        jdbc.update("DELETE FROM gh_upstream_links WHERE expires_at <= ?", now.toEpochMilli());
        jdbc.update("DELETE FROM gh_upstream_logins WHERE expires_at <= ?", now.toEpochMilli());
        startedCap.enforce();
    }

    @Override
    public long startedHeld() {
        return jdbc.one("SELECT COUNT(*) FROM gh_upstream_states", rs -> rs.getLong(1)).orElse(0L);
    }

    private String seal(String token) {
        return encryption.seal(new OctetSequenceKey.Builder(token.getBytes(StandardCharsets.UTF_8)).build());
    }

    private String open(String sealed) {
        JWK key = encryption.open(sealed);
        if (!(key instanceof OctetSequenceKey octets)) {
            throw new IllegalStateException("a stored upstream token is not sealed as octets");
        }
        return new String(octets.toByteArray(), StandardCharsets.UTF_8);
    }

    private static Set<String> words(String text) {
        Set<String> out = new LinkedHashSet<>();
        Arrays.stream(text.split(" ")).filter(w -> !w.isBlank()).forEach(out::add);
        return out;
    }
}
