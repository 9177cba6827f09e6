package io.gatehouse.as.authorize;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatehouse.as.clients.Secrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Logged-in browsers, by an unguessable cookie value. Each session carries its own CSRF token for the consent
 * form. Pending authorizations (validated requests awaiting login and consent) live here too, briefly.
 *
 * <p>Anyone can create a pending authorization with one unauthenticated request, so what they hold is bounded:
 * every string in one is bounded ({@link ParameterLimits}) and together they may retain at most
 * {@link #PENDING_BUDGET_BYTES} (estimated); past that the least valuable ones are evicted (their browser sees
 * "sign-in expired" and starts again). Sessions need a password, but are capped in number too.
 */
final class BrowserSessions {

    record Session(String id, String username, String csrfToken, Instant expiresAt) {
    }

    /** What all pending authorizations together may retain: 32 MiB, about 19,000 typical ones or 2,000 of the largest. */
    static final long PENDING_BUDGET_BYTES = 32L << 20;
    static final long MAX_SESSIONS = 50_000;
    private static final Duration SESSION_TTL = Duration.ofHours(8);
    private static final Duration PENDING_TTL = Duration.ofMinutes(10);

    private final Cache<String, Session> sessions;
    private final Cache<String, PendingAuthorization> pending;
    private final Clock clock;

    BrowserSessions(Clock clock) {
        this.clock = clock;
        this.sessions = Caffeine.newBuilder().maximumSize(MAX_SESSIONS).expireAfterWrite(SESSION_TTL)
                .executor(Runnable::run).build();
        this.pending = Caffeine.newBuilder().maximumWeight(PENDING_BUDGET_BYTES)
                .weigher((String id, PendingAuthorization p) -> retainedBytes(p))
                .expireAfterWrite(PENDING_TTL).executor(Runnable::run).build();
    }

    Session start(String username) {
        Session session = new Session(Secrets.random(32), username, Secrets.random(32), clock.instant().plus(SESSION_TTL));
        sessions.put(session.id(), session);
        return session;
    }

    Optional<Session> find(Optional<String> cookie) {
        return cookie.map(sessions::getIfPresent).filter(s -> s.expiresAt().isAfter(clock.instant()));
    }

    Instant pendingExpiry() {
        return clock.instant().plus(PENDING_TTL);
    }

    void park(PendingAuthorization authorization) {
        pending.put(authorization.id(), authorization);
    }

    Optional<PendingAuthorization> pending(Optional<String> id) {
        return id.map(pending::getIfPresent).filter(p -> p.expiresAt().isAfter(clock.instant()));
    }

    void done(PendingAuthorization authorization) {
        pending.invalidate(authorization.id());
    }

    void cleanUp() {
        Instant now = clock.instant();
        sessions.asMap().values().removeIf(s -> !s.expiresAt().isAfter(now));
        pending.asMap().values().removeIf(p -> !p.expiresAt().isAfter(now));
        sessions.cleanUp();
        pending.cleanUp();
    }

    /** How many pending authorizations are held, and the bytes they retain (estimated). */
    Held heldPending() {
        pending.cleanUp();
        long bytes = pending.policy().eviction().flatMap(e -> e.weightedSize().stream().boxed().findFirst()).orElse(0L);
        return new Held(pending.estimatedSize(), bytes);
    }

    long heldSessions() {
        sessions.cleanUp();
        return sessions.estimatedSize();
    }

    /** A count of held entries and an estimate of the heap they retain. */
    record Held(long count, long bytes) {
    }

    /**
     * An upper estimate of the heap one pending authorization retains: two bytes per character of each string it
     * holds (three times the text of a URI, which keeps its parsed parts too), plus a fixed allowance for the objects.
     */
    static int retainedBytes(PendingAuthorization p) {
        long chars = p.id().length() + 3L * p.redirectUri().toString().length() + p.state().map(String::length).orElse(0)
                + p.codeChallenge().length() + 3L * p.resource().toString().length()
                + p.requestedScopes().stream().mapToLong(s -> s.length() + 16).sum()
                + p.client().clientId().length() + p.client().name().length()
                + p.client().allowedScopes().stream().mapToLong(s -> s.length() + 16).sum();
        return (int) Math.min(Integer.MAX_VALUE, 2 * chars + 1024);
    }
}
