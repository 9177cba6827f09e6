package io.gatehouse.as.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatehouse.as.authorize.BrowserStateStore;
import java.time.Instant;
import java.util.Optional;

/**
 * Browser sessions and pending authorizations in this process (one node). Pending authorizations together may
 * weigh at most {@link StoreBounds#pendingBytes()} (two bytes a character of the payload and key, plus a fixed
 * allowance); past that the least valuable are evicted (their browser sees "sign-in expired" and starts again).
 * Sessions are capped in number.
 */
final class InMemoryBrowserStateStore implements BrowserStateStore {

    /** What one entry costs beyond its characters (the entry, the string objects, the cache's node). */
    static final int ENTRY_OVERHEAD_BYTES = 256;

    private record Pending(String payload, Instant expiresAt) {
    }

    private final Cache<String, StoredSession> sessions;
    private final Cache<String, Pending> pending;

    InMemoryBrowserStateStore(StoreBounds bounds) {
        this.sessions = Caffeine.newBuilder().maximumSize(bounds.sessions()).executor(Runnable::run).build();
        this.pending = Caffeine.newBuilder().maximumWeight(bounds.pendingBytes())
                .weigher((String id, Pending p) -> weight(id, p.payload()))
                .executor(Runnable::run).build();
    }

    static int weight(String idHash, String payload) {
        return 2 * (idHash.length() + payload.length()) + ENTRY_OVERHEAD_BYTES;
    }

    @Override
    public void putSession(String idHash, String username, Instant expiresAt) {
        sessions.put(idHash, new StoredSession(username, expiresAt));
    }

    @Override
    public Optional<StoredSession> session(String idHash) {
        return Optional.ofNullable(sessions.getIfPresent(idHash));
    }

    @Override
    public void deleteSession(String idHash) {
        sessions.invalidate(idHash);
    }

    @Override
    public void putPending(String idHash, String payload, Instant expiresAt) {
        pending.put(idHash, new Pending(payload, expiresAt));
    }

    @Override
    public Optional<String> pending(String idHash) {
        return Optional.ofNullable(pending.getIfPresent(idHash)).map(Pending::payload);
    }

    @Override
    public boolean takePending(String idHash) {
        return pending.asMap().remove(idHash) != null;
    }

    @Override
    public void deleteExpired(Instant now) {
        sessions.asMap().values().removeIf(s -> !s.expiresAt().isAfter(now));
        pending.asMap().values().removeIf(p -> !p.expiresAt().isAfter(now));
        sessions.cleanUp();
        pending.cleanUp();
    }

    @Override
    public Held held() {
        pending.cleanUp();
        sessions.cleanUp();
        long bytes = pending.policy().eviction().flatMap(e -> e.weightedSize().stream().boxed().findFirst()).orElse(0L);
        return new Held(pending.estimatedSize(), bytes, sessions.estimatedSize());
    }
}
