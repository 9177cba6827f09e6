package io.gatehouse.as.store;

import io.gatehouse.as.token.AuthorizationCode;
import io.gatehouse.as.token.Grant;
import io.gatehouse.as.token.GrantStore;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Issued grants in memory: for tests and single-node servers that need nothing to survive a restart. */
public final class InMemoryGrantStore implements GrantStore {

    private record Code(AuthorizationCode code, boolean used) {
    }

    private record Access(String familyId, Instant expiresAt, boolean revoked) {
    }

    private final Map<String, Code> codes = new ConcurrentHashMap<>();
    private final Map<String, StoredRefresh> refreshTokens = new ConcurrentHashMap<>();
    private final Map<String, Access> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, Instant> revokedFamilies = new ConcurrentHashMap<>();

    @Override
    public void putCode(String hash, AuthorizationCode code) {
        codes.put(hash, new Code(code, false));
    }

    @Override
    public Optional<AuthorizationCode> takeCode(String hash) {
        Code code = codes.get(hash);
        if (code == null || code.used() || !codes.replace(hash, code, new Code(code.code(), true))) {
            return Optional.empty();
        }
        return Optional.of(code.code());
    }

    @Override
    public Optional<String> usedCodeFamily(String hash) {
        return Optional.ofNullable(codes.get(hash)).filter(Code::used).map(c -> c.code().grant().familyId());
    }

    @Override
    public void putRefreshToken(String hash, Grant grant, Instant expiresAt) {
        refreshTokens.put(hash, new StoredRefresh(grant, expiresAt, false));
    }

    @Override
    public Optional<StoredRefresh> refreshToken(String hash) {
        return Optional.ofNullable(refreshTokens.get(hash));
    }

    @Override
    public boolean spendRefreshToken(String hash) {
        StoredRefresh refresh = refreshTokens.get(hash);
        return refresh != null && !refresh.used()
                && refreshTokens.replace(hash, refresh, new StoredRefresh(refresh.grant(), refresh.expiresAt(), true));
    }

    @Override
    public void recordAccessToken(String familyId, String jti, Instant expiresAt) {
        accessTokens.put(jti, new Access(familyId, expiresAt, revokedFamilies.containsKey(familyId)));
    }

    @Override
    public Optional<String> accessTokenFamily(String jti) {
        return Optional.ofNullable(accessTokens.get(jti)).map(Access::familyId).filter(f -> !f.isEmpty());
    }

    @Override
    public void revokeFamily(String familyId, Instant until) {
        revokedFamilies.put(familyId, until);
        accessTokens.replaceAll((jti, a) -> a.familyId().equals(familyId) ? new Access(a.familyId(), a.expiresAt(), true) : a);
    }

    @Override
    public boolean isFamilyRevoked(String familyId) {
        return revokedFamilies.containsKey(familyId);
    }

    @Override
    public Set<String> familiesOf(String username, String clientId) {
        Set<String> families = new HashSet<>();
        refreshTokens.values().stream().map(StoredRefresh::grant).filter(g -> g.username().equals(username) && g.clientId().equals(clientId))
                .forEach(g -> families.add(g.familyId()));
        codes.values().stream().map(c -> c.code().grant()).filter(g -> g.username().equals(username) && g.clientId().equals(clientId))
                .forEach(g -> families.add(g.familyId()));
        return families;
    }

    @Override
    public void revokeAccessToken(String jti, Instant until) {
        accessTokens.compute(jti, (k, a) -> new Access(a == null ? "" : a.familyId(), a == null ? until : a.expiresAt(), true));
    }

    /** Revoked by itself, or as a member of a revoked family (also when it was recorded after the revocation). */
    @Override
    public boolean isAccessTokenRevoked(String jti) {
        Access access = accessTokens.get(jti);
        return access != null && (access.revoked() || revokedFamilies.containsKey(access.familyId()));
    }

    @Override
    public void deleteExpired(Instant now) {
        codes.values().removeIf(c -> c.code().expiresAt().plusSeconds(3600).isBefore(now));
        refreshTokens.values().removeIf(r -> r.expiresAt().isBefore(now));
        accessTokens.values().removeIf(a -> a.expiresAt().isBefore(now));
        revokedFamilies.values().removeIf(until -> until.isBefore(now));
    }
}
