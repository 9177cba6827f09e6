package io.gatehouse.transport;

import io.gatehouse.mcp.internal.log.LogText;
import io.gatehouse.mcp.context.InsufficientScopeException;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcCodec;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcError;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcErrorCodes;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcException;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import io.gatehouse.mcp.internal.server.AccessPolicy;
import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.internal.server.McpServer;
import io.gatehouse.mcp.internal.server.McpSession;
import io.gatehouse.mcp.internal.server.MessageSink;
import io.gatehouse.mcp.internal.server.ProtocolVersions;
import io.gatehouse.mcp.internal.server.TooManySessionsException;
import io.gatehouse.rs.audit.AuthAudit;
import io.gatehouse.rs.bearer.BearerAuthentication;
import io.gatehouse.rs.bearer.BearerChallenge;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.TreeSet;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP endpoint over Streamable HTTP, for both eras on the same path (V-4): MCP 2025-11-25 "Transports" (T-01 …
 * T-13), where POST carries one JSON-RPC message, GET opens the session's stream and DELETE ends the session, and
 * MCP 2026-07-28, where every POST stands alone. Past the {@link RequestPipeline}'s guard, CORS
 * and method check, every request takes the same steps in the same order, whatever its method:
 * <ol>
 *   <li>authenticate: the bearer token, from the headers alone (RS-07, RS-15, RS-18); the body of a request that is
 *   not authenticated is never read, so the 401 has no JSON-RPC id: null, or left out when the headers declare
 *   2026-07-28 (B-3);</li>
 *   <li>parse: the headers ({@code Content-Type}, {@code Accept}), then, for POST, the body under its size limit and
 *   the JSON-RPC message in it, then its era: MCP 2026-07-28 (a {@link ModernRequest}, validated once authorized
 *   and served statelessly in both session modes), or legacy, whose {@code MCP-Protocol-Version} must be a legacy
 *   revision;</li>
 *   <li>authorize: the access policy, for a POSTed request (RS-11 … RS-13);</li>
 *   <li>dispatch: the session, and the request to the {@link McpServer}, a notification, a client's response, the
 *   GET stream, or the end of the session;</li>
 *   <li>render: {@code application/json}, or {@code text/event-stream} once the handler streams.</li>
 * </ol>
 * A step that refuses throws a {@link Refusal} (a 4xx, or a 503 that passes), which the pipeline writes; never a 500.
 * A handler that finds at run time that the caller lacks a scope ({@link InsufficientScopeException}) is answered
 * like the authorize step's denial (SEP-2350 step-up).
 */
final class StreamableHttpEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(StreamableHttpEndpoint.class);
    static final String SESSION_ID = "Mcp-Session-Id";
    static final String PROTOCOL_VERSION = "MCP-Protocol-Version";
    /** JSON-RPC code of authentication and authorization refusals (implementation-defined range). */
    static final int UNAUTHORIZED = -32001;
    /** Sessions end when idle or deleted; a client at the total limit tries again after this long. */
    static final int SESSIONS_RETRY_AFTER_SECONDS = 30;
    static final String LISTEN = "subscriptions/listen";
    /** The largest {@code subscriptions/listen} body: it stays in memory while the stream is open. */
    static final int MAX_LISTEN_BYTES = 256 * 1024;
    /** The request attribute holding a POST's {@link McpRequestMetrics.Exchange}. */
    private static final String EXCHANGE = McpRequestMetrics.Exchange.class.getName();

    private final McpServer mcp;
    private final TransportConfig config;
    private final Optional<Protection> protection;
    private final OpenStreams listenStreams = new OpenStreams();
    private final OpenStreams getStreams = new OpenStreams();
    private final KeepAlives keepAlives;
    private final McpRequestMetrics requests;
    private final java.util.concurrent.atomic.LongAdder served = new java.util.concurrent.atomic.LongAdder();

    StreamableHttpEndpoint(McpServer mcp, TransportConfig config, Optional<Protection> protection) {
        this(mcp, config, protection, ServerMetrics.unexposed().registry());
    }

    /** @param registry where requests are timed ({@link McpRequestMetrics}) and open streams counted */
    StreamableHttpEndpoint(McpServer mcp, TransportConfig config, Optional<Protection> protection, MeterRegistry registry) {
        this.mcp = mcp;
        this.config = config;
        this.protection = protection;
        this.keepAlives = new KeepAlives(config.sseKeepAlive());
        this.requests = new McpRequestMetrics(registry);
        Gauge.builder("gatehouse.mcp.sessions.open", mcp, m -> m.sessions().size())
                .description("Open MCP sessions (stateful mode)").register(registry);
        Gauge.builder("gatehouse.mcp.streams.open", getStreams, OpenStreams::count).tag("kind", "session")
                .description("Open SSE streams: sessions' GET streams, and subscriptions/listen streams").register(registry);
        Gauge.builder("gatehouse.mcp.streams.open", listenStreams, OpenStreams::count).tag("kind", "listen")
                .description("Open SSE streams: sessions' GET streams, and subscriptions/listen streams").register(registry);
    }

    /**
     * Serves a POST, GET or DELETE (the route has refused any other method). A POST is timed in
     * {@code gatehouse.mcp.requests} by its MCP method and outcome, refusals included.
     */
    void handle(Request request, Response response, Callback callback) throws IOException {
        served.increment();
        if (!request.getMethod().equals("POST")) {
            serve(request, response, callback);
            return;
        }
        McpRequestMetrics.Exchange exchange = requests.begin();
        request.setAttribute(EXCHANGE, exchange);
        try {
            serve(request, response, callback);
        } catch (Refusal refusal) {
            exchange.outcome(McpRequestMetrics.outcomeOf(refusal.status));
            throw refusal;
        } catch (StorageUnavailableException e) {
            exchange.outcome("unavailable");
            throw e;
        } finally {
            exchange.end();
        }
    }

    /** Notes what a POST turned out to be, for its {@code gatehouse.mcp.requests} timing; nothing for GET and DELETE. */
    private static void note(Request request, String outcome) {
        if (request.getAttribute(EXCHANGE) instanceof McpRequestMetrics.Exchange exchange) {
            exchange.outcome(outcome);
        }
    }

    private static String outcomeOf(JsonRpcMessage answer) {
        return answer instanceof JsonRpcMessage.ErrorResponse ? "error" : "ok";
    }

    private void serve(Request request, Response response, Callback callback) throws IOException {
        String method = request.getMethod();
        Caller caller = authenticate(request);                                          // 1. authenticate
        Accept accept = parseHeaders(request, method);                                  // 2. parse the headers,
        JsonRpcMessage message = method.equals("POST") ? parseBody(request) : null;     //    then the body,
        if (request.getAttribute(EXCHANGE) instanceof McpRequestMetrics.Exchange exchange) {
            exchange.method(message instanceof JsonRpcMessage.Request r ? r.method()
                    : message instanceof JsonRpcMessage.Notification n ? n.method() : McpRequestMetrics.OTHER);
        }
        boolean modern = message != null && ModernRequest.isModern(request.getHeaders(), message); // its era
        if (!modern) {
            checkLegacyVersion(request, message);
        } else if (!mcp.servesModern()) {                                               //    (a gateway: legacy only)
            throw ModernRequest.unsupportedVersion(ProtocolVersions.MODERN, message instanceof JsonRpcMessage.Request r
                    ? r.id() : null, mcp.supportedVersions());
        }
        if (message instanceof JsonRpcMessage.Request r) {
            authorize(r, caller);                                                       // 3. authorize
        }
        if (modern) {                                                                   // 4. dispatch, 5. render
            dispatchModern(ModernRequest.parse(request.getHeaders(), message), caller, accept, request, response, callback);
            return;
        }
        switch (method) {
            case "POST" -> dispatch(message, request, caller, accept, response, callback);
            case "GET" -> openStream(request, caller, response, callback);
            default -> endSession(request, caller, response, callback);
        }
    }

    /**
     * Step 1. Every request is authenticated from its {@code Authorization} header alone, before its body is read;
     * a refusal is the challenge, without a JSON-RPC id (the unread body is not looked at).
     */
    private Caller authenticate(Request request) {
        if (protection.isEmpty()) {
            return Caller.anonymous();
        }
        BearerAuthentication.Result result = protection.get().authentication()
                .authenticate(request.getHeaders().getValuesList(HttpHeader.AUTHORIZATION));
        return switch (result) {
            case BearerAuthentication.Result.Authenticated a -> a.token().toCaller().withSubjectToken(a.presented());
            case BearerAuthentication.Result.Refused r -> throw Refusal.challenge(r.challenge(), null);
        };
    }

    /**
     * Step 2a. The headers: a POST is {@code application/json} (415) and its client accepts JSON or SSE (406); a GET
     * accepts SSE explicitly (406). The protocol version is checked once the era is known.
     */
    private static Accept parseHeaders(Request request, String method) {
        Accept accept = Accept.parse(request.getHeaders().get(HttpHeader.ACCEPT));
        if (method.equals("POST")) {
            if (!"application/json".equals(Accept.mediaType(request.getHeaders().get(HttpHeader.CONTENT_TYPE)))) {
                throw Refusal.of(415, "Unsupported Media Type: POST a JSON-RPC message as application/json");
            }
            if (!accept.json() && !accept.sse()) {
                throw Refusal.of(406, "Not Acceptable: accept application/json and text/event-stream");
            }
        } else if (method.equals("GET") && !accept.explicitlySse()) {
            throw Refusal.of(406, "Not Acceptable: a GET stream needs Accept: text/event-stream");
        }
        return accept;
    }

    /**
     * Step 2c for a legacy request: {@code MCP-Protocol-Version} names a legacy revision, and a missing one means
     * 2025-03-26 (T-13, V-7). Any other value is 400 {@code -32022} listing the revisions of both eras, so that a
     * dual-era client can tell a modern server (V-2, V-5).
     */
    private void checkLegacyVersion(Request request, JsonRpcMessage message) {
        if (request.getHeaders().getValuesList(PROTOCOL_VERSION).size() > 1) {
            // one meaning for every reader: an intermediary taking the last value must not see another era
            throw Refusal.of(400, "Bad Request: the MCP-Protocol-Version header is repeated");
        }
        String version = request.getHeaders().get(PROTOCOL_VERSION);
        if (version != null && !ProtocolVersions.isSupported(version)) {
            throw ModernRequest.unsupportedVersion(version, message instanceof JsonRpcMessage.Request r ? r.id() : null,
                    mcp.supportedVersions());
        }
    }

    /**
     * Step 2b. The POSTed body, under the size limit (413), and the one JSON-RPC message in it (400). A
     * {@code subscriptions/listen} is held for as long as its stream stays open, so its request must be small: at most
     * {@link #MAX_LISTEN_BYTES} (100 URIs of the longest length fit).
     */
    private JsonRpcMessage parseBody(Request request) throws IOException {
        byte[] body = readBody(request);
        JsonRpcMessage message;
        try {
            message = JsonRpcCodec.parse(body);
        } catch (JsonRpcException e) {
            throw Refusal.rpc(400, null, e.error().code(), e.error().message());
        }
        if (body.length > MAX_LISTEN_BYTES && message instanceof JsonRpcMessage.Request r && r.method().equals(LISTEN)) {
            throw Refusal.rpc(413, r.id(), JsonRpcErrorCodes.INVALID_REQUEST,
                    "Payload Too Large: a subscriptions/listen request may be at most " + MAX_LISTEN_BYTES + " bytes");
        }
        return message;
    }

    /** Step 3. The access policy, before dispatch (RS-11 … RS-13); a denial is a 403 naming this operation's scopes. */
    private void authorize(JsonRpcMessage.Request request, Caller caller) {
        if (protection.isEmpty()) {
            return;
        }
        AuthAudit audit = protection.get().authentication().audit();
        Optional<AccessPolicy.Denial> denial = mcp.authorize(request, caller);
        if (denial.isPresent()) {
            audit.denied(caller, request.method(), target(request), denial.get().requiredScopes().isEmpty()
                    ? AuthAudit.DenialReason.MISSING_ROLE : AuthAudit.DenialReason.INSUFFICIENT_SCOPE,
                    denial.get().description(), mcp.upstreamOf(request));
            throw Refusal.challenge(new BearerChallenge.InsufficientScope(denial.get().requiredScopes(),
                    denial.get().description()), request.id());
        }
        audit.allowed(caller, request.method(), target(request), mcp.upstreamOf(request));
    }

    /** Step 4 for POST: the message to its session and handler; step 5, rendering, is the stream's. */
    private void dispatch(JsonRpcMessage message, Request request, Caller caller, Accept accept, Response response,
                          Callback callback) {
        if (message instanceof JsonRpcMessage.Request r && r.method().equals("initialize")) {
            note(request, initialize(r, caller, response, callback));
            return;
        }
        McpSession session = config.sessionMode() == SessionMode.STATELESS
                ? McpSession.transientSession(versionOf(request))
                : existingSession(request, caller);
        switch (message) {
            case JsonRpcMessage.Notification n -> {
                mcp.handleNotification(n, session);
                note(request, "accepted");
                HttpReplies.empty(response, callback, 202);
            }
            case JsonRpcMessage.Request r -> answer(r, session, caller, request, response, callback, accept);
            case JsonRpcMessage.Response r -> {
                acceptClientResponse(r, session, response, callback);
                note(request, "accepted");
            }
            case JsonRpcMessage.ErrorResponse r -> {
                acceptClientResponse(r, session, response, callback);
                note(request, "accepted");
            }
        }
    }

    /**
     * Step 4 for a 2026-07-28 POST, once {@link ModernRequest} has validated its {@code _meta} and headers: stateless
     * in both session modes, with the request's own transient session (V-1, V-8); a notification is accepted with
     * 202 and needs nothing more (H-4).
     */
    private void dispatchModern(ModernRequest modern, Caller caller, Accept accept, Request request, Response response,
                                Callback callback) {
        if (modern.message() instanceof JsonRpcMessage.Request r) {
            answer(r, modern.session(), caller, request, response, callback, accept);
        } else {
            note(request, "accepted");
            HttpReplies.empty(response, callback, 202);
        }
    }

    /**
     * Steps 4 and 5 for a request, once its session is known. A legacy session's answer outlives a disconnect (T-08);
     * a 2026-07-28 request's answer ({@link McpSession#modern()}) is cancelled when the client closes it (H-9), and a
     * {@code subscriptions/listen} is counted until its stream ends, so that shutdown can end it gracefully
     * ({@link #endSubscriptions}).
     */
    void answer(JsonRpcMessage.Request r, McpSession session, Caller caller, Request request, Response response,
                Callback callback, Accept accept) {
        if (!session.modern()) {
            note(request, call(r, session, caller, new PostResponseStream(response, callback, accept.sse())));
            return;
        }
        PostResponseStream stream = PostResponseStream.modern(request, response, callback, accept.sse(),
                keepAlives, session::cancelRequests);
        if (!r.method().equals(LISTEN)) {
            note(request, call(r, session, caller, stream));
            return;
        }
        listenStreams.opened();
        try {
            note(request, call(r, session, caller, stream));
        } finally {
            listenStreams.closed();
        }
    }

    /** How many requests reached the MCP endpoint since start (the management {@code /health} shows it). */
    long requestsServed() {
        return served.sum();
    }

    /**
     * Ends every {@code subscriptions/listen} stream gracefully (S-4: each gets its final result, then closes) and
     * waits up to {@code grace} for them to be written, before the server stops accepting.
     */
    void endSubscriptions(Duration grace) {
        mcp.endSubscriptions();
        if (!awaitNoListenStreams(grace)) {
            LOG.warn("Some subscriptions/listen streams did not end within {}", grace);
        }
    }

    /** Waits up to {@code timeout} until no {@code subscriptions/listen} stream is open; returns whether none is. */
    boolean awaitNoListenStreams(Duration timeout) {
        return listenStreams.awaitNone(timeout);
    }

    /**
     * Runs a request's handler and renders its answer. A handler that needs a scope the caller lacks is refused like
     * the authorize step's denial (403, {@code insufficient_scope} naming the scopes, the request's id); if the answer
     * has already become an event stream, the refusal is the stream's last event instead (SEP-2350). Returns the
     * outcome for the request's timing.
     */
    private String call(JsonRpcMessage.Request request, McpSession session, Caller caller, PostResponseStream stream) {
        Optional<JsonRpcMessage> answer;
        try {
            answer = mcp.handle(request, session, caller, stream);
        } catch (InsufficientScopeException e) {
            String scopes = String.join(" ", new TreeSet<>(e.requiredScopes()));
            // the handler's own words when it gave some; a library user may leave them out (null)
            String description = e.getMessage() != null ? e.getMessage() : "this operation needs the scope " + scopes;
            protection.ifPresent(p -> p.authentication().audit().denied(caller, request.method(), target(request),
                    AuthAudit.DenialReason.INSUFFICIENT_SCOPE, description, mcp.upstreamOf(request)));
            BearerChallenge.InsufficientScope challenge = new BearerChallenge.InsufficientScope(e.requiredScopes(), description);
            if (!stream.endWithError(new JsonRpcMessage.ErrorResponse(request.id(), new JsonRpcError(UNAUTHORIZED,
                    "Forbidden: insufficient_scope (needs " + scopes + "): " + description)))) {
                throw Refusal.challenge(challenge, request.id());
            }
            return "forbidden";
        }
        answer.ifPresentOrElse(a -> stream.finish(a, session.modern() ? ModernRequest.httpStatus(a) : 200), stream::abandon);
        return answer.map(StreamableHttpEndpoint::outcomeOf).orElse("ok");
    }

    /**
     * Initialize creates the session (stateful mode) and returns its id in {@code Mcp-Session-Id} (T-12). Returns the
     * outcome for the request's timing.
     */
    private String initialize(JsonRpcMessage.Request request, Caller caller, Response response, Callback callback) {
        McpSession session;
        try {
            session = config.sessionMode() == SessionMode.STATEFUL
                    ? mcp.sessions().create(caller, ProtocolVersions.LATEST)
                    : McpSession.transientSession(ProtocolVersions.LATEST);
        } catch (TooManySessionsException e) {
            LOG.warn("Refused a new MCP session: {}", e.getMessage());
            throw Refusal.rpc(503, request.id(), JsonRpcErrorCodes.SERVER_ERROR,
                    "Service Unavailable: the server holds as many sessions as it may; try again later")
                    .retryAfter(SESSIONS_RETRY_AFTER_SECONDS);
        }
        JsonRpcMessage result = mcp.handle(request, session, caller, MessageSink.NONE).orElseThrow();
        if (result instanceof JsonRpcMessage.Response) {
            session.id().ifPresent(id -> response.getHeaders().put(SESSION_ID, id));
            LOG.info("New MCP session (protocol {}, client {})", session.protocolVersion(),
                    LogText.neutralise(session.clientInfo().map(i -> i.path("name").asString("unnamed")).orElse("unnamed")));
        } else {
            session.id().ifPresent(mcp.sessions()::end);
        }
        HttpReplies.json(response, callback, 200, JsonRpcCodec.write(result));
        return outcomeOf(result);
    }

    private void acceptClientResponse(JsonRpcMessage message, McpSession session, Response response, Callback callback) {
        if (message instanceof JsonRpcMessage.ErrorResponse error && error.id().isNull()) {
            LOG.warn("The client reported an error it could not tie to a request: {} {}", error.error().code(),
                    LogText.neutralise(error.error().message()));
            HttpReplies.empty(response, callback, 202);
        } else if (mcp.handleClientResponse(message, session)) {
            HttpReplies.empty(response, callback, 202);
        } else {
            throw Refusal.of(400, "Bad Request: this response answers no pending server request");
        }
    }

    /** Step 4 for GET: the session's stream (T-09), served until it closes. */
    private void openStream(Request request, Caller caller, Response response, Callback callback) {
        McpSession session = existingSession(request, caller);
        StandaloneStream stream = new StandaloneStream();
        if (!session.attachStandaloneStream(stream)) {
            throw Refusal.of(409, "Conflict: this session already has an open GET stream");
        }
        getStreams.opened();
        try {
            stream.serve(response, config.sseKeepAlive(), config.sseIdleTimeout());
            callback.succeeded();
        } catch (IOException e) {
            callback.failed(e);
        } finally {
            getStreams.closed();
            session.detachStandaloneStream(stream);
        }
    }

    /** Step 4 for DELETE: the session ends. */
    private void endSession(Request request, Caller caller, Response response, Callback callback) {
        mcp.sessions().end(existingSession(request, caller).id().orElseThrow());
        HttpReplies.empty(response, callback, 200);
    }

    /** What an audit line names: the tool or prompt, or the resource's URI. */
    private static String target(JsonRpcMessage.Request request) {
        return request.params().path("name").asString(request.params().path("uri").asString(""));
    }

    /** The request's session; refuses 400 (no id) or 404 (unknown, ended, or someone else's). */
    private McpSession existingSession(Request request, Caller caller) {
        String id = request.getHeaders().get(SESSION_ID);
        if (id == null || id.isBlank()) {
            throw Refusal.of(400, "Bad Request: Mcp-Session-Id header is required; initialize first");
        }
        McpSession session = mcp.sessions().find(id).filter(s -> s.isOwnedBy(caller))
                .orElseThrow(() -> Refusal.of(404, "Session not found: it ended or never existed; initialize again"));
        session.touch();
        return session;
    }

    private static String versionOf(Request request) {
        String version = request.getHeaders().get(PROTOCOL_VERSION);
        return version != null ? version : ProtocolVersions.ASSUMED_WITHOUT_HEADER;
    }

    /**
     * Reads the body of an authenticated request up to the limit; a larger one is refused with 413. A declared
     * {@code Content-Length} (HTTP/1.1 and HTTP/2 hold the body to it) is read into one array of that size, so a
     * small request allocates only its bytes; without one the body is read up to the limit. Either way the arrays
     * grow with the bytes that actually arrive (at most 16 KiB ahead of them), never from the declared length.
     */
    private byte[] readBody(Request request) throws IOException {
        long declared = request.getLength();
        if (declared > config.maxRequestBytes()) {
            throw tooLarge();
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] body = in.readNBytes(declared >= 0 ? (int) declared : config.maxRequestBytes() + 1);
            if (body.length > config.maxRequestBytes()) {
                throw tooLarge();
            }
            return body;
        }
    }

    private Refusal tooLarge() {
        return Refusal.of(413, "Payload Too Large: the body exceeds " + config.maxRequestBytes() + " bytes");
    }
}
