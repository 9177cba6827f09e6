package io.gatehouse.as.authorize;

import io.gatehouse.as.clients.Secrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logged-in browsers, by an unguessable cookie value. Each session carries its own CSRF token for the consent
 * form. Pending authorizations (validated requests awaiting login and consent) live here too, briefly.
 */
final class BrowserSessions {

    record Session(String id, String username, String csrfToken, Instant expiresAt) {
    }

    private static final Duration SESSION_TTL = Duration.ofHours(8);
    private static final Duration PENDING_TTL = Duration.ofMinutes(10);

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, PendingAuthorization> pending = new ConcurrentHashMap<>();
    private final Clock clock;

    BrowserSessions(Clock clock) {
        this.clock = clock;
    }

    Session start(String username) {
        Session session = new Session(Secrets.random(32), username, Secrets.random(32), clock.instant().plus(SESSION_TTL));
        sessions.put(session.id(), session);
        return session;
    }

    Optional<Session> find(Optional<String> cookie) {
        return cookie.map(sessions::get).filter(s -> s.expiresAt().isAfter(clock.instant()));
    }

    Instant pendingExpiry() {
        return clock.instant().plus(PENDING_TTL);
    }

    void park(PendingAuthorization authorization) {
        pending.put(authorization.id(), authorization);
    }

    Optional<PendingAuthorization> pending(Optional<String> id) {
        return id.map(pending::get).filter(p -> p.expiresAt().isAfter(clock.instant()));
    }

    void done(PendingAuthorization authorization) {
        pending.remove(authorization.id());
    }

    void cleanUp() {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> !s.expiresAt().isAfter(now));
        pending.values().removeIf(p -> !p.expiresAt().isAfter(now));
    }
}
