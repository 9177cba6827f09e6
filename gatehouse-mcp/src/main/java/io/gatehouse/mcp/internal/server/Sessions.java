package io.gatehouse.mcp.internal.server;

import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live sessions of a stateful server. Ids are 256 bits from {@link SecureRandom}, base64url-encoded, so
 * they are visible ASCII (T-12) and cannot be guessed. A session idle for longer than the configured time is
 * ended; its id then gets 404 like any unknown one.
 *
 * <p>Memory is bounded twice. A principal (issuer and subject) holds at most {@code maxPerPrincipal} sessions:
 * opening one more ends that principal's least recently used session, which then answers 404, and a client
 * that still wanted it starts a new one, as the specification tells it to. So one token can never hold more
 * than its share, and a principal can only ever push out its own sessions, never someone else's. The server
 * holds at most {@code maxSessions} in all: past that, {@link #create} refuses ({@link TooManySessionsException},
 * which the transport answers with 503 and {@code Retry-After}) rather than ending another principal's session.
 *
 * <p>Lookups are lock-free; creating and ending take a short lock so the counts stay exact.
 */
public final class Sessions {

    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, McpSession> live = new ConcurrentHashMap<>();
    private final Map<String, Set<McpSession>> byOwner = new HashMap<>();
    private final Duration idleTimeout;
    private final int maxSessions;
    private final int maxPerPrincipal;
    private final Clock clock;

    /**
     * @param maxSessions     sessions held in all; more are refused
     * @param maxPerPrincipal sessions one principal holds; one more ends its least recently used
     */
    public Sessions(Duration idleTimeout, int maxSessions, int maxPerPrincipal, Clock clock) {
        if (maxSessions < 1 || maxPerPrincipal < 1) {
            throw new IllegalArgumentException("session limits must be at least 1");
        }
        this.idleTimeout = idleTimeout;
        this.maxSessions = maxSessions;
        this.maxPerPrincipal = maxPerPrincipal;
        this.clock = clock;
    }

    /**
     * Opens a session for {@code owner}, first ending the owner's least recently used one when it is at its limit.
     *
     * @throws TooManySessionsException when the server holds {@code maxSessions} sessions that are not idle
     */
    public McpSession create(Caller owner, String protocolVersion) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        McpSession session = new McpSession(id, owner.principalKey(), protocolVersion, clock);
        List<McpSession> ended = new ArrayList<>();
        try {
            synchronized (this) {
                Set<McpSession> own = byOwner.getOrDefault(session.ownerKey(), Set.of());
                if (own.size() >= maxPerPrincipal) {
                    own.stream().min(Comparator.comparing(McpSession::lastActive)).map(this::remove).ifPresent(ended::add);
                    LOG.info("A principal reached its limit of {} sessions; ended its least recently used one", maxPerPrincipal);
                }
                if (live.size() >= maxSessions) {
                    live.values().stream().filter(this::isExpired).toList().forEach(s -> ended.add(remove(s)));
                }
                if (live.size() >= maxSessions) {
                    throw new TooManySessionsException(maxSessions);
                }
                live.put(id, session);
                byOwner.computeIfAbsent(session.ownerKey(), k -> new LinkedHashSet<>()).add(session);
            }
        } finally {
            ended.forEach(McpSession::close);
        }
        return session;
    }

    /** The live session with this id; empty when unknown, ended or expired. */
    public Optional<McpSession> find(String id) {
        McpSession session = live.get(id);
        if (session == null) {
            return Optional.empty();
        }
        if (isExpired(session)) {
            end(id);
            return Optional.empty();
        }
        return Optional.of(session);
    }

    public boolean end(String id) {
        return end(id, true);
    }

    /**
     * Ends a session: its id gets 404 from now on; {@code cancelRunning} false lets the requests still running answer
     * (see {@link McpSession#close(boolean)}).
     */
    boolean end(String id, boolean cancelRunning) {
        McpSession session;
        synchronized (this) {
            session = live.get(id);
            if (session == null) {
                return false;
            }
            remove(session);
        }
        session.close(cancelRunning);
        return true;
    }

    /** Ends every session idle past the timeout; returns how many. */
    public int expireIdle() {
        int ended = 0;
        for (McpSession session : live.values()) {
            if (isExpired(session) && end(session.id().orElseThrow())) {
                ended++;
            }
        }
        return ended;
    }

    public void endAll() {
        live.keySet().forEach(this::end);
    }

    /**
     * Ends every session for a shutdown: the ids get 404 and the GET streams close, but the requests still running
     * answer (a drained node loses no request).
     */
    public void endAllLettingRunningAnswer() {
        live.keySet().forEach(id -> end(id, false));
    }

    public int size() {
        return live.size();
    }

    /** The most sessions this server holds at once. */
    public int maxSessions() {
        return maxSessions;
    }

    void broadcastTo(String subscribedUri, JsonRpcMessage message) {
        for (McpSession session : live.values()) {
            if (session.isSubscribed(subscribedUri)) {
                session.sendUnsolicited(message);
            }
        }
    }

    /** Takes a session out of both indexes; the caller holds the lock and closes it after releasing it. */
    private McpSession remove(McpSession session) {
        live.remove(session.id().orElseThrow());
        Set<McpSession> own = byOwner.get(session.ownerKey());
        if (own != null) {
            own.remove(session);
            if (own.isEmpty()) {
                byOwner.remove(session.ownerKey());
            }
        }
        return session;
    }

    private boolean isExpired(McpSession session) {
        return session.lastActive().plus(idleTimeout).isBefore(clock.instant());
    }
}
