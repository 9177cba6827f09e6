package io.gatehouse.as.store;

import io.gatehouse.as.token.AuthorizationCode;
import io.gatehouse.as.token.Grant;
import io.gatehouse.as.token.GrantStore;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Issued grants in the database, so refresh tokens and revocations survive restarts and are shared by every
 * node. Single use is enforced by conditional updates ({@code ... WHERE used = FALSE}), which the database
 * makes atomic.
 */
final class JdbcGrantStore implements GrantStore {

    private static final String GRANT_COLUMNS = "family_id, client_id, subject, username, roles, scopes, resource, family_started_at";

    private final Jdbc jdbc;

    JdbcGrantStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void putCode(String hash, AuthorizationCode code) {
        Grant g = code.grant();
        jdbc.update("INSERT INTO gh_codes (code_hash, " + GRANT_COLUMNS + ", redirect_uri, redirect_uri_in_request, code_challenge, "
                        + "expires_at, used) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE)", hash, g.familyId(), g.clientId(),
                g.subject(), g.username(), String.join(" ", g.roles()), String.join(" ", g.scopes()), g.resource().toString(),
                g.startedAt().toEpochMilli(), code.redirectUri().toString(), code.redirectUriInRequest(), code.codeChallenge(),
                code.expiresAt().toEpochMilli());
    }

    @Override
    public Optional<AuthorizationCode> takeCode(String hash) {
        if (jdbc.update("UPDATE gh_codes SET used = TRUE WHERE code_hash = ? AND used = FALSE", hash) != 1) {
            return Optional.empty();
        }
        return jdbc.one("SELECT " + GRANT_COLUMNS + ", redirect_uri, redirect_uri_in_request, code_challenge, expires_at "
                        + "FROM gh_codes WHERE code_hash = ?",
                rs -> new AuthorizationCode(grant(rs), URI.create(rs.getString(9)), rs.getBoolean(10), rs.getString(11),
                        Instant.ofEpochMilli(rs.getLong(12))), hash);
    }

    @Override
    public Optional<String> usedCodeFamily(String hash) {
        return jdbc.one("SELECT family_id FROM gh_codes WHERE code_hash = ? AND used = TRUE", rs -> rs.getString(1), hash);
    }

    @Override
    public void putRefreshToken(String hash, Grant g, Instant expiresAt) {
        jdbc.update("INSERT INTO gh_refresh_tokens (token_hash, " + GRANT_COLUMNS + ", expires_at, used) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE)", hash, g.familyId(), g.clientId(), g.subject(), g.username(),
                String.join(" ", g.roles()), String.join(" ", g.scopes()), g.resource().toString(), g.startedAt().toEpochMilli(),
                expiresAt.toEpochMilli());
    }

    @Override
    public Optional<StoredRefresh> refreshToken(String hash) {
        return jdbc.one("SELECT " + GRANT_COLUMNS + ", expires_at, used FROM gh_refresh_tokens WHERE token_hash = ?",
                rs -> new StoredRefresh(grant(rs), Instant.ofEpochMilli(rs.getLong(9)), rs.getBoolean(10)), hash);
    }

    @Override
    public boolean spendRefreshToken(String hash) {
        return jdbc.update("UPDATE gh_refresh_tokens SET used = TRUE WHERE token_hash = ? AND used = FALSE", hash) == 1;
    }

    @Override
    public void recordAccessToken(String familyId, String jti, Instant expiresAt) {
        jdbc.update("INSERT INTO gh_access_tokens (jti, family_id, expires_at, revoked) VALUES (?, ?, ?, FALSE)",
                jti, familyId, expiresAt.toEpochMilli());
    }

    @Override
    public Optional<String> accessTokenFamily(String jti) {
        return jdbc.one("SELECT family_id FROM gh_access_tokens WHERE jti = ?", rs -> rs.getString(1), jti).filter(f -> !f.isEmpty());
    }

    /**
     * Idempotent: the losers of one race (several redemptions of one code or refresh token) each revoke the same
     * family at once, and each succeeds. Access tokens recorded after this runs (the race's winner may record
     * its token a moment later) are still refused: {@link #isAccessTokenRevoked} consults the family too.
     */
    @Override
    public void revokeFamily(String familyId, Instant until) {
        if (!jdbc.insertIfAbsent("INSERT INTO gh_revoked_families (family_id, until) VALUES (?, ?)", familyId, until.toEpochMilli())) {
            jdbc.update("UPDATE gh_revoked_families SET until = ? WHERE family_id = ? AND until < ?", until.toEpochMilli(), familyId,
                    until.toEpochMilli());
        }
        jdbc.update("UPDATE gh_access_tokens SET revoked = TRUE WHERE family_id = ?", familyId);
    }

    @Override
    public boolean isFamilyRevoked(String familyId) {
        return jdbc.one("SELECT 1 FROM gh_revoked_families WHERE family_id = ?", rs -> true, familyId).isPresent();
    }

    @Override
    public Set<String> familiesOf(String username, String clientId) {
        Set<String> families = new HashSet<>(jdbc.query("SELECT DISTINCT family_id FROM gh_refresh_tokens WHERE username = ? AND client_id = ?",
                rs -> rs.getString(1), username, clientId));
        families.addAll(jdbc.query("SELECT DISTINCT family_id FROM gh_codes WHERE username = ? AND client_id = ?",
                rs -> rs.getString(1), username, clientId));
        return families;
    }

    @Override
    public void revokeAccessToken(String jti, Instant until) {
        if (jdbc.update("UPDATE gh_access_tokens SET revoked = TRUE WHERE jti = ?", jti) == 0
                && !jdbc.insertIfAbsent("INSERT INTO gh_access_tokens (jti, family_id, expires_at, revoked) VALUES (?, '', ?, TRUE)",
                        jti, until.toEpochMilli())) {
            jdbc.update("UPDATE gh_access_tokens SET revoked = TRUE WHERE jti = ?", jti);
        }
    }

    /** Revoked by itself, or as a member of a revoked family (also when it was recorded after the revocation). */
    @Override
    public boolean isAccessTokenRevoked(String jti) {
        return jdbc.one("SELECT a.revoked, f.family_id FROM gh_access_tokens a LEFT JOIN gh_revoked_families f "
                + "ON f.family_id = a.family_id WHERE a.jti = ?", rs -> rs.getBoolean(1) || rs.getString(2) != null, jti).orElse(false);
    }

    @Override
    public void deleteExpired(Instant now) {
        long ms = now.toEpochMilli();
        jdbc.update("DELETE FROM gh_codes WHERE expires_at < ?", ms - 3_600_000);
        jdbc.update("DELETE FROM gh_refresh_tokens WHERE expires_at < ?", ms);
        jdbc.update("DELETE FROM gh_access_tokens WHERE expires_at < ?", ms);
        jdbc.update("DELETE FROM gh_revoked_families WHERE until < ?", ms);
    }

    private static Grant grant(ResultSet rs) throws SQLException {
        return new Grant(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                JdbcClientStore.words(rs.getString(5)), JdbcClientStore.words(rs.getString(6)), URI.create(rs.getString(7)),
                Instant.ofEpochMilli(rs.getLong(8)));
    }
}
