package io.gatehouse.as.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatehouse.as.federation.UpstreamLoginStore;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Federated login state in this process (one node); started sign-ins capped in number like pending authorizations. */
final class InMemoryUpstreamLoginStore implements UpstreamLoginStore {

    private final Cache<String, StartedLogin> started;
    private final Cache<String, Login> logins;
    /** Link key ('s:' session hash, 'f:' family id) to login id. */
    private final Map<String, String> links = new ConcurrentHashMap<>();

    InMemoryUpstreamLoginStore(StoreBounds bounds) {
        this.started = Caffeine.newBuilder().maximumSize(bounds.pendingRows()).executor(Runnable::run).build();
        this.logins = Caffeine.newBuilder().maximumSize(bounds.sessions()).executor(Runnable::run).build();
    }

    @Override
    public void putStarted(String stateHash, StartedLogin login) {
        started.put(stateHash, login);
    }

    @Override
    public Optional<StartedLogin> takeStarted(String stateHash) {
        return Optional.ofNullable(started.asMap().remove(stateHash));
    }

    @Override
    public void putLogin(String sessionHash, Login login) {
        logins.put(login.loginId(), login);
        links.put("s:" + sessionHash, login.loginId());
    }

    @Override
    public Optional<Login> loginOfSession(String sessionHash) {
        return Optional.ofNullable(links.get("s:" + sessionHash)).map(logins::getIfPresent);
    }

    @Override
    public void linkFamily(String familyId, String loginId) {
        links.put("f:" + familyId, loginId);
    }

    @Override
    public Optional<Login> loginOfFamily(String familyId) {
        return Optional.ofNullable(links.get("f:" + familyId)).map(logins::getIfPresent);
    }

    @Override
    public java.util.Set<String> familiesOfLogin(String loginId) {
        java.util.Set<String> families = new java.util.HashSet<>();
        links.forEach((key, id) -> {
            if (id.equals(loginId) && key.startsWith("f:")) {
                families.add(key.substring(2));
            }
        });
        return families;
    }

    @Override
    public void checked(String loginId, Optional<String> refreshToken, Instant checkedAt) {
        logins.asMap().computeIfPresent(loginId, (id, l) -> new Login(id, l.subject(), l.username(), l.roles(), l.allowedScopes(),
                refreshToken.or(l::refreshToken), l.idToken(), checkedAt, l.expiresAt()));
    }

    @Override
    public void rolesChanged(String loginId, java.util.Set<String> roles, java.util.Set<String> allowedScopes) {
        logins.asMap().computeIfPresent(loginId, (id, l) -> new Login(id, l.subject(), l.username(), roles, allowedScopes,
                l.refreshToken(), l.idToken(), l.checkedAt(), l.expiresAt()));
    }

    @Override
    public void deleteLogin(String loginId) {
        logins.invalidate(loginId);
        links.values().removeIf(loginId::equals);
    }

    @Override
    public void deleteExpired(Instant now) {
        started.asMap().values().removeIf(s -> !s.expiresAt().isAfter(now));
        logins.asMap().values().removeIf(l -> !l.expiresAt().isAfter(now));
        links.values().removeIf(id -> logins.getIfPresent(id) == null);
        started.cleanUp();
    }

    @Override
    public long startedHeld() {
        started.cleanUp();
        return started.estimatedSize();
    }
}
