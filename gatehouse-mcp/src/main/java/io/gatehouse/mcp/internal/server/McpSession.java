package io.gatehouse.mcp.internal.server;

import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.context.LogLevel;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * What the server remembers about one client between requests: the negotiated revision, the client's
 * capabilities, its log level, its resource subscriptions, its standalone stream and its requests in flight.
 * In stateless mode each request gets a transient session that nobody can find again.
 *
 * <p>Thread-safe: requests of one session run concurrently on their own virtual threads.
 */
public final class McpSession {

    /** Resources one session may subscribe to; each subscription is a client string kept for the session's life. */
    static final int MAX_SUBSCRIPTIONS = 100;

    private final String id;
    private final String ownerKey;
    private final Clock clock;
    private final boolean modern;
    private volatile String protocolVersion;
    private volatile JsonNode clientCapabilities;
    private volatile JsonNode clientInfo;
    /** A 2026-07-28 request's clientInfo as sent; bounded only if someone asks ({@link #clientInfo()}). */
    private JsonNode modernClientInfo;
    private volatile LogLevel logLevel;
    private volatile Instant lastActive;
    private volatile MessageSink standaloneStream = MessageSink.NONE;
    private volatile boolean requestsCancelled;
    private final Set<String> subscriptions = ConcurrentHashMap.newKeySet();
    private final Map<JsonNode, HandlerContext> inFlight = new ConcurrentHashMap<>();
    /** The relay's view of this session, made at its initialize when the server relays ({@link Relay}). */
    private volatile ClientChannel channel;

    McpSession(String id, String ownerKey, String protocolVersion, Clock clock) {
        this(id, ownerKey, protocolVersion, clock, false);
    }

    private McpSession(String id, String ownerKey, String protocolVersion, Clock clock, boolean modern) {
        this.modern = modern;
        this.id = id;
        this.ownerKey = ownerKey;
        this.protocolVersion = protocolVersion;
        this.clock = clock;
        this.lastActive = clock.instant();
    }

    /** A session for one stateless request, or for code that runs outside any client (tests, tools). */
    public static McpSession transientSession(String protocolVersion) {
        return new McpSession(null, "", protocolVersion, Clock.systemUTC());
    }

    /**
     * The transient session of one MCP 2026-07-28 request (V-1, B-6): what the request's {@code _meta} declares,
     * its client capabilities, its client description and its log level ({@code null}: no {@code notifications/message}
     * at all, L-1). Nobody can find it again; nothing of it outlives the request.
     */
    public static McpSession modern(JsonNode clientCapabilities, JsonNode clientInfo, LogLevel levelOrNull) {
        McpSession session = new McpSession(null, "", ProtocolVersions.MODERN, Clock.systemUTC(), true);
        // kept as sent, not copied: it lives no longer than the request whose (bounded) body holds it
        session.clientCapabilities = clientCapabilities != null && clientCapabilities.isObject()
                ? clientCapabilities : io.gatehouse.mcp.internal.json.Json.object();
        session.modernClientInfo = clientInfo;
        session.logLevel = levelOrNull;
        return session;
    }

    /** Whether this is the session of a 2026-07-28 request: stateless, and no server-to-client requests (MRTR instead). */
    public boolean modern() {
        return modern;
    }

    /** The {@code Mcp-Session-Id}, absent for a transient session. */
    public Optional<String> id() {
        return Optional.ofNullable(id);
    }

    public boolean isTransient() {
        return id == null;
    }

    String ownerKey() {
        return ownerKey;
    }

    /** Whether {@code caller} is the principal that created this session (RS-18). */
    public boolean isOwnedBy(Caller caller) {
        return ownerKey.equals(caller.principalKey());
    }

    public String protocolVersion() {
        return protocolVersion;
    }

    void protocolVersion(String version) {
        this.protocolVersion = version;
    }

    /** The capabilities the client declared at initialize (or in a modern request's {@code _meta}); an empty object when unknown. */
    public JsonNode clientCapabilities() {
        JsonNode c = clientCapabilities;
        return c == null ? io.gatehouse.mcp.internal.json.Json.object() : c;
    }

    /** Whether the client's capabilities are known at all (not for stateless requests). */
    public boolean knowsClientCapabilities() {
        return clientCapabilities != null;
    }

    /** Keeps the client's description, bounded (see {@link ClientDescription}): it lives as long as the session. */
    void initialized(JsonNode capabilities, JsonNode info) {
        this.clientCapabilities = ClientDescription.capabilities(capabilities);
        this.clientInfo = ClientDescription.info(info).orElse(null);
    }

    public Optional<JsonNode> clientInfo() {
        return modernClientInfo != null ? ClientDescription.info(modernClientInfo) : Optional.ofNullable(clientInfo);
    }

    /**
     * The minimum level the client asked for; empty means it did not ask, so everything is sent on a legacy session
     * and nothing on a modern one (L-1).
     */
    public Optional<LogLevel> logLevel() {
        return Optional.ofNullable(logLevel);
    }

    void logLevel(LogLevel level) {
        this.logLevel = level;
    }

    public void touch() {
        lastActive = clock.instant();
    }

    /** When the client last used the session (what "least recently used" goes by). */
    public Instant lastActive() {
        return lastActive;
    }

    /** Returns false, subscribing to nothing, when the session holds {@value #MAX_SUBSCRIPTIONS} subscriptions already. */
    synchronized boolean subscribe(String uri) {
        if (subscriptions.size() >= MAX_SUBSCRIPTIONS && !subscriptions.contains(uri)) {
            return false;
        }
        subscriptions.add(uri);
        return true;
    }

    void unsubscribe(String uri) {
        subscriptions.remove(uri);
    }

    boolean isSubscribed(String uri) {
        return subscriptions.contains(uri);
    }

    /** Attaches the GET stream; returns false when one is already open (one per session). */
    public synchronized boolean attachStandaloneStream(MessageSink sink) {
        if (standaloneStream != MessageSink.NONE) {
            return false;
        }
        standaloneStream = sink;
        return true;
    }

    public synchronized void detachStandaloneStream(MessageSink sink) {
        if (standaloneStream == sink) {
            standaloneStream = MessageSink.NONE;
        }
    }

    /** Sends a message that belongs to no request (T-09) on the standalone stream, if one is open. */
    boolean sendUnsolicited(JsonRpcMessage message) {
        return standaloneStream.send(message);
    }

    /** Request ids are JSON values; their node equality is by value, so they key the map as they are. */
    void started(JsonNode requestId, HandlerContext context) {
        inFlight.put(requestId, context);
        if (requestsCancelled) {
            context.cancel();
        }
    }

    void finished(JsonNode requestId) {
        inFlight.remove(requestId);
    }

    Optional<HandlerContext> inFlight(JsonNode requestId) {
        return Optional.ofNullable(inFlight.get(requestId));
    }

    /**
     * Cancels every request of this session still running, as {@code notifications/cancelled} does for one: the
     * transport calls it when the client closes the response stream of a 2026-07-28 request (H-9), whose session
     * holds that one request. A request that starts afterwards is cancelled as it starts: the client may close the
     * stream before its handler runs.
     */
    public void cancelRequests() {
        requestsCancelled = true;
        inFlight.values().forEach(HandlerContext::cancel);
    }

    ClientChannel channel() {
        return channel;
    }

    void channel(ClientChannel channel) {
        this.channel = channel;
    }

    /** Ends the session: cancels what is still running, and closes what a relay keeps for it. */
    void close() {
        close(true);
    }

    /**
     * Ends the session and closes what a relay keeps for it; {@code cancelRunning} false leaves the requests still
     * running to answer (a relay whose upstream is gone fails them itself, and the client should hear why).
     */
    void close(boolean cancelRunning) {
        if (cancelRunning) {
            inFlight.values().forEach(HandlerContext::cancel);
            inFlight.clear();
        }
        MessageSink stream = standaloneStream;
        standaloneStream = MessageSink.NONE;
        if (stream instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // the stream is gone either way
            }
        }
        ClientChannel relayed = channel;
        if (relayed != null) {
            relayed.close();
        }
    }
}
