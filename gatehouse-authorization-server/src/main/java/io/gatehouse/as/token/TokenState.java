package io.gatehouse.as.token;

import io.gatehouse.as.AsMetrics;
import io.gatehouse.as.clients.Secrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The rules over what the authorization server issued: authorization codes are single use (a second use revokes
 * what the first produced, RFC 6749 section 4.1.2); refresh tokens are rotated on use and reuse of an old one
 * revokes the whole family; revoked access tokens stop being accepted. Only hashes of secrets are stored.
 */
public final class TokenState {

    private final GrantStore store;
    private final Clock clock;
    private final Duration rememberRevocation;
    private final AsMetrics metrics;

    /**
     * @param longestTokenLifetime the longest an access or refresh token lives: a revoked family is remembered
     *                             that long, so a token of it issued at the moment of revocation (by the winner of
     *                             a race) never outlives the revocation
     */
    public TokenState(GrantStore store, Clock clock, Duration longestTokenLifetime) {
        this(store, clock, longestTokenLifetime, AsMetrics.unread());
    }

    /** @param metrics where the reuse of a spent refresh token is counted */
    public TokenState(GrantStore store, Clock clock, Duration longestTokenLifetime, AsMetrics metrics) {
        this.metrics = metrics;
        this.store = store;
        this.clock = clock;
        this.rememberRevocation = longestTokenLifetime;
    }

    public String issueCode(AuthorizationCode code) {
        String value = Secrets.random(32);
        store.putCode(Secrets.hash(value), code);
        return value;
    }

    /** Takes a code out; a code presented twice revokes the family its first use created. */
    public Optional<AuthorizationCode> consumeCode(String value) {
        String hash = Secrets.hash(value);
        Optional<AuthorizationCode> code = store.takeCode(hash);
        if (code.isEmpty()) {
            store.usedCodeFamily(hash).ifPresent(this::revokeFamily);
            return Optional.empty();
        }
        return code.filter(c -> c.expiresAt().isAfter(clock.instant()));
    }

    /**
     * A new refresh token for {@code grant}, expiring after {@code ttl} but never after the family's end (its start
     * plus {@code maxLifetime}): rotation does not extend a family. Empty once the family has reached its end.
     */
    public Optional<String> issueRefreshToken(Grant grant, Duration ttl, Duration maxLifetime) {
        Instant now = clock.instant();
        Instant familyEnd = grant.startedAt().plus(maxLifetime);
        if (!familyEnd.isAfter(now)) {
            return Optional.empty();
        }
        Instant expiresAt = now.plus(ttl).isBefore(familyEnd) ? now.plus(ttl) : familyEnd;
        String value = Secrets.random(32);
        store.putRefreshToken(Secrets.hash(value), grant, expiresAt);
        return Optional.of(value);
    }

    /** Whether a family started longer than {@code maxLifetime} ago (its refresh tokens are then refused). */
    public boolean outlived(Grant grant, Duration maxLifetime) {
        return !grant.startedAt().plus(maxLifetime).isAfter(clock.instant());
    }

    public Instant now() {
        return clock.instant();
    }

    /** Spends a refresh token for its grant; an unknown, expired, revoked or already spent one gives nothing. */
    public Optional<Grant> spendRefreshToken(String value) {
        String hash = Secrets.hash(value);
        Optional<GrantStore.StoredRefresh> refresh = store.refreshToken(hash);
        if (refresh.isEmpty() || store.isFamilyRevoked(refresh.get().grant().familyId())) {
            return Optional.empty();
        }
        if (refresh.get().used() || !store.spendRefreshToken(hash)) {
            metrics.refreshTokenReused();
            revokeFamily(refresh.get().grant().familyId());
            return Optional.empty();
        }
        return refresh.filter(r -> r.expiresAt().isAfter(clock.instant())).map(GrantStore.StoredRefresh::grant);
    }

    /** The family of a refresh token this server issued and did not revoke. */
    public Optional<Grant> refreshTokenGrant(String value) {
        return store.refreshToken(Secrets.hash(value)).map(GrantStore.StoredRefresh::grant)
                .filter(g -> !store.isFamilyRevoked(g.familyId()));
    }

    public void recordAccessToken(String familyId, String jti, Instant expiresAt) {
        store.recordAccessToken(familyId, jti, expiresAt);
    }

    /** The family an access token of this server was recorded in (exchanged tokens join their subject token's). */
    public Optional<String> accessTokenFamily(String jti) {
        return store.accessTokenFamily(jti);
    }

    public void revokeAccessToken(String jti, Instant expiresAt) {
        store.revokeAccessToken(jti, expiresAt);
    }

    public void revokeFamily(String familyId) {
        store.revokeFamily(familyId, clock.instant().plus(rememberRevocation));
    }

    /**
     * Revokes every token family this user holds through this client (the user withdrew their consent): its refresh
     * tokens are refused from now on, its access tokens are reported revoked, and a code not yet redeemed yields
     * only revoked tokens. Answers how many families were revoked.
     */
    public int revokeFamiliesOf(String username, String clientId) {
        java.util.Set<String> families = store.familiesOf(username, clientId);
        families.forEach(this::revokeFamily);
        return families.size();
    }

    public boolean isRevoked(String jti) {
        return store.isAccessTokenRevoked(jti);
    }

    public void cleanUp() {
        store.deleteExpired(clock.instant());
    }
}
