package io.gatehouse.as.token;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Where the authorization server keeps what it issued: authorization codes, refresh tokens and the revocation
 * state of token families and access tokens, all keyed by hashes of the secrets. {@link TokenState} holds the
 * rules (single use, rotation, reuse detection); implementations only store.
 */
public interface GrantStore {

    /** A stored refresh token. */
    record StoredRefresh(Grant grant, Instant expiresAt, boolean used) {
    }

    void putCode(String hash, AuthorizationCode code);

    /** Marks an unused code used and returns it; empty when it is unknown or was used already. */
    Optional<AuthorizationCode> takeCode(String hash);

    /** The family of a code that was already used, if any (to revoke on replay). */
    Optional<String> usedCodeFamily(String hash);

    void putRefreshToken(String hash, Grant grant, Instant expiresAt);

    Optional<StoredRefresh> refreshToken(String hash);

    /** Atomically marks an unused refresh token used; false when it was used (or unknown) already. */
    boolean spendRefreshToken(String hash);

    void recordAccessToken(String familyId, String jti, Instant expiresAt);

    /**
     * The family an access token was recorded in; empty for one never recorded (or forgotten after its expiry) and
     * for one revoked by itself without a family.
     */
    Optional<String> accessTokenFamily(String jti);

    /** Revokes a family and every access token recorded in it, remembering it until {@code until}. */
    void revokeFamily(String familyId, Instant until);

    boolean isFamilyRevoked(String familyId);

    /**
     * The token families this user holds through this client that may still be alive: those of stored refresh tokens
     * and of authorization codes (a code not yet redeemed starts its family when it is).
     */
    Set<String> familiesOf(String username, String clientId);

    void revokeAccessToken(String jti, Instant until);

    boolean isAccessTokenRevoked(String jti);

    /** Forgets everything that expired before {@code now}. */
    void deleteExpired(Instant now);
}
