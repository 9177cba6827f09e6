package io.gatehouse.as.token;

import io.gatehouse.as.clients.Secrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The authorization server's memory of what it issued: authorization codes (single use; a second use revokes
 * what the first produced), refresh tokens (rotated on use; reuse of an old one revokes the whole family) and
 * the ids of access tokens per family, so revoked ones stop being accepted. Everything is keyed by hashes of
 * the secrets; expired entries are dropped by {@link #cleanUp()}.
 */
public final class TokenState {

    private record Issued<T>(T value, Instant expiresAt) {
    }

    private record Refresh(Grant grant, Instant expiresAt, boolean used) {
    }

    private final Map<String, Issued<AuthorizationCode>> codes = new ConcurrentHashMap<>();
    private final Map<String, Issued<String>> usedCodes = new ConcurrentHashMap<>();
    private final Map<String, Refresh> refreshTokens = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> accessTokensByFamily = new ConcurrentHashMap<>();
    private final Map<String, Instant> revokedAccessTokens = new ConcurrentHashMap<>();
    private final Set<String> revokedFamilies = ConcurrentHashMap.newKeySet();
    private final Clock clock;

    public TokenState(Clock clock) {
        this.clock = clock;
    }

    public String issueCode(AuthorizationCode code) {
        String value = Secrets.random(32);
        codes.put(Secrets.hash(value), new Issued<>(code, code.expiresAt()));
        return value;
    }

    /** Takes a code out; a code presented twice revokes the family its first use created (RFC 6749 4.1.2). */
    public Optional<AuthorizationCode> consumeCode(String value) {
        String hash = Secrets.hash(value);
        Issued<AuthorizationCode> issued = codes.remove(hash);
        if (issued == null) {
            Issued<String> used = usedCodes.get(hash);
            if (used != null) {
                revokeFamily(used.value());
            }
            return Optional.empty();
        }
        usedCodes.put(hash, new Issued<>(issued.value().grant().familyId(), issued.expiresAt().plus(Duration.ofHours(1))));
        if (!issued.expiresAt().isAfter(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(issued.value());
    }

    public String issueRefreshToken(Grant grant, Duration ttl) {
        String value = Secrets.random(32);
        refreshTokens.put(Secrets.hash(value), new Refresh(grant, clock.instant().plus(ttl), false));
        return value;
    }

    /** Spends a refresh token for its grant; an unknown, expired, revoked or already spent one gives nothing. */
    public Optional<Grant> spendRefreshToken(String value) {
        String hash = Secrets.hash(value);
        Refresh refresh = refreshTokens.get(hash);
        if (refresh == null || revokedFamilies.contains(refresh.grant().familyId())) {
            return Optional.empty();
        }
        if (refresh.used()) {
            revokeFamily(refresh.grant().familyId());
            return Optional.empty();
        }
        if (!refresh.expiresAt().isAfter(clock.instant())) {
            return Optional.empty();
        }
        Refresh spent = new Refresh(refresh.grant(), refresh.expiresAt(), true);
        if (!refreshTokens.replace(hash, refresh, spent)) {
            revokeFamily(refresh.grant().familyId());
            return Optional.empty();
        }
        return Optional.of(refresh.grant());
    }

    /** The family of a refresh token, if it is one this server issued and did not revoke. */
    public Optional<Grant> refreshTokenGrant(String value) {
        Refresh refresh = refreshTokens.get(Secrets.hash(value));
        return refresh == null || revokedFamilies.contains(refresh.grant().familyId()) ? Optional.empty() : Optional.of(refresh.grant());
    }

    public void recordAccessToken(String familyId, String jti) {
        accessTokensByFamily.computeIfAbsent(familyId, k -> ConcurrentHashMap.newKeySet()).add(jti);
    }

    public void revokeAccessToken(String jti, Instant expiresAt) {
        revokedAccessTokens.put(jti, expiresAt);
    }

    public void revokeFamily(String familyId) {
        revokedFamilies.add(familyId);
        Instant until = clock.instant().plus(Duration.ofDays(1));
        for (String jti : accessTokensByFamily.getOrDefault(familyId, Set.of())) {
            revokedAccessTokens.put(jti, until);
        }
    }

    public boolean isRevoked(String jti) {
        return revokedAccessTokens.containsKey(jti);
    }

    public void cleanUp() {
        Instant now = clock.instant();
        codes.values().removeIf(c -> !c.expiresAt().isAfter(now));
        usedCodes.values().removeIf(c -> !c.expiresAt().isAfter(now));
        refreshTokens.values().removeIf(r -> !r.expiresAt().isAfter(now));
        revokedAccessTokens.values().removeIf(until -> !until.isAfter(now));
    }
}
