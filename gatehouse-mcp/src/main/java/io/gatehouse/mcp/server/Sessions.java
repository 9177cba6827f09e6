package io.gatehouse.mcp.server;

import io.gatehouse.mcp.jsonrpc.JsonRpcMessage;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live sessions of a stateful server. Ids are 256 bits from {@link SecureRandom}, base64url-encoded, so
 * they are visible ASCII (T-12) and cannot be guessed. A session idle for longer than the configured time is
 * ended; its id then gets 404 like any unknown one.
 */
public final class Sessions {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, McpSession> live = new ConcurrentHashMap<>();
    private final Duration idleTimeout;
    private final Clock clock;

    public Sessions(Duration idleTimeout, Clock clock) {
        this.idleTimeout = idleTimeout;
        this.clock = clock;
    }

    public McpSession create(Caller owner, String protocolVersion) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        McpSession session = new McpSession(id, owner.principalKey(), protocolVersion, clock);
        live.put(id, session);
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
        McpSession session = live.remove(id);
        if (session == null) {
            return false;
        }
        session.close();
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

    public int size() {
        return live.size();
    }

    void broadcastTo(String subscribedUri, JsonRpcMessage message) {
        for (McpSession session : live.values()) {
            if (session.isSubscribed(subscribedUri)) {
                session.sendUnsolicited(message);
            }
        }
    }

    private boolean isExpired(McpSession session) {
        return session.lastActive().plus(idleTimeout).isBefore(clock.instant());
    }
}
