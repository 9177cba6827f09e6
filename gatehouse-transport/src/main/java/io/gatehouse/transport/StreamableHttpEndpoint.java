package io.gatehouse.transport;

import io.gatehouse.mcp.internal.jsonrpc.JsonRpcCodec;
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
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The MCP endpoint over Streamable HTTP (MCP 2025-11-25 "Transports", T-01 … T-13): POST carries one
 * JSON-RPC message, GET opens the session's stream, DELETE ends the session. Every check here answers a
 * client's mistake with a 4xx and a JSON-RPC error body, never a 500.
 */
final class StreamableHttpEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(StreamableHttpEndpoint.class);
    static final String SESSION_ID = "Mcp-Session-Id";
    static final String PROTOCOL_VERSION = "MCP-Protocol-Version";
    /** JSON-RPC code of authentication and authorization refusals (implementation-defined range). */
    static final int UNAUTHORIZED = -32001;
    /** Sessions end when idle or deleted; a client at the total limit tries again after this long. */
    static final int SESSIONS_RETRY_AFTER_SECONDS = 30;

    private final McpServer mcp;
    private final TransportConfig config;
    private final Optional<Protection> protection;

    StreamableHttpEndpoint(McpServer mcp, TransportConfig config, Optional<Protection> protection) {
        this.mcp = mcp;
        this.config = config;
        this.protection = protection;
    }

    void handle(Request request, Response response, Callback callback) throws IOException {
        switch (request.getMethod()) {
            case "POST" -> post(request, response, callback);
            case "GET" -> get(request, response, callback);
            case "DELETE" -> delete(request, response, callback);
            default -> methodNotAllowed(response, callback, "Method " + request.getMethod() + " is not supported on the MCP endpoint");
        }
    }

    private void post(Request request, Response response, Callback callback) throws IOException {
        if (!"application/json".equals(mediaType(request.getHeaders().get(HttpHeader.CONTENT_TYPE)))) {
            HttpReplies.refuse(response, callback, 415, "Unsupported Media Type: POST a JSON-RPC message as application/json");
            return;
        }
        Accept accept = Accept.parse(request.getHeaders().get(HttpHeader.ACCEPT));
        if (!accept.json() && !accept.sse()) {
            HttpReplies.refuse(response, callback, 406, "Not Acceptable: accept application/json and text/event-stream");
            return;
        }
        // the bearer check needs only headers: an unauthenticated body is never read, so it costs no memory
        Optional<Caller> authenticated = authenticate(request, response, callback);
        if (authenticated.isEmpty()) {
            return;
        }
        Caller caller = authenticated.get();
        Optional<byte[]> body = readBody(request);
        if (body.isEmpty()) {
            HttpReplies.refuse(response, callback, 413, "Payload Too Large: the body exceeds " + config.maxRequestBytes() + " bytes");
            return;
        }
        JsonRpcMessage message;
        try {
            message = JsonRpcCodec.parse(body.get());
        } catch (JsonRpcException e) {
            HttpReplies.rpcError(response, callback, 400, null, e.error().code(), e.error().message());
            return;
        }
        if (!versionHeaderSupported(request, response, callback)) {
            return;
        }
        if (message instanceof JsonRpcMessage.Request r && !authorized(r, caller, response, callback)) {
            return;
        }
        if (message instanceof JsonRpcMessage.Request r && r.method().equals("initialize")) {
            initialize(r, caller, response, callback);
            return;
        }
        Optional<McpSession> session = config.sessionMode() == SessionMode.STATELESS
                ? Optional.of(McpSession.transientSession(versionOf(request)))
                : existingSession(request, response, callback, caller);
        if (session.isEmpty()) {
            return;
        }
        switch (message) {
            case JsonRpcMessage.Notification n -> {
                mcp.handleNotification(n, session.get());
                HttpReplies.empty(response, callback, 202);
            }
            case JsonRpcMessage.Request r -> {
                PostResponseStream stream = new PostResponseStream(response, callback, accept.sse());
                mcp.handle(r, session.get(), caller, stream).ifPresentOrElse(stream::finish, stream::abandon);
            }
            case JsonRpcMessage.Response r -> acceptClientResponse(r, session.get(), response, callback);
            case JsonRpcMessage.ErrorResponse r -> acceptClientResponse(r, session.get(), response, callback);
        }
    }

    /** Initialize creates the session (stateful mode) and returns its id in {@code Mcp-Session-Id} (T-12). */
    private void initialize(JsonRpcMessage.Request request, Caller caller, Response response, Callback callback) {
        McpSession session;
        try {
            session = config.sessionMode() == SessionMode.STATEFUL
                    ? mcp.sessions().create(caller, ProtocolVersions.LATEST)
                    : McpSession.transientSession(ProtocolVersions.LATEST);
        } catch (TooManySessionsException e) {
            LOG.warn("Refused a new MCP session: {}", e.getMessage());
            response.getHeaders().put(HttpHeader.RETRY_AFTER, String.valueOf(SESSIONS_RETRY_AFTER_SECONDS));
            HttpReplies.rpcError(response, callback, 503, request.id(), JsonRpcErrorCodes.SERVER_ERROR,
                    "Service Unavailable: the server holds as many sessions as it may; try again later");
            return;
        }
        JsonRpcMessage result = mcp.handle(request, session, caller, MessageSink.NONE).orElseThrow();
        if (result instanceof JsonRpcMessage.Response) {
            session.id().ifPresent(id -> response.getHeaders().put(SESSION_ID, id));
            LOG.info("New MCP session (protocol {}, client {})", session.protocolVersion(),
                    session.clientInfo().map(i -> i.path("name").asString("unnamed")).orElse("unnamed"));
        } else {
            session.id().ifPresent(mcp.sessions()::end);
        }
        HttpReplies.json(response, callback, 200, JsonRpcCodec.write(result));
    }

    private void acceptClientResponse(JsonRpcMessage message, McpSession session, Response response, Callback callback) {
        if (message instanceof JsonRpcMessage.ErrorResponse error && error.id().isNull()) {
            LOG.warn("The client reported an error it could not tie to a request: {} {}", error.error().code(), error.error().message());
            HttpReplies.empty(response, callback, 202);
        } else if (mcp.handleClientResponse(message, session)) {
            HttpReplies.empty(response, callback, 202);
        } else {
            HttpReplies.refuse(response, callback, 400, "Bad Request: this response answers no pending server request");
        }
    }

    private void get(Request request, Response response, Callback callback) {
        if (config.sessionMode() == SessionMode.STATELESS) {
            methodNotAllowed(response, callback, "Method Not Allowed: this server is stateless and has no GET stream");
            return;
        }
        if (!Accept.parse(request.getHeaders().get(HttpHeader.ACCEPT)).explicitlySse()) {
            HttpReplies.refuse(response, callback, 406, "Not Acceptable: a GET stream needs Accept: text/event-stream");
            return;
        }
        if (!versionHeaderSupported(request, response, callback)) {
            return;
        }
        Optional<Caller> caller = authenticate(request, response, callback);
        if (caller.isEmpty()) {
            return;
        }
        Optional<McpSession> found = existingSession(request, response, callback, caller.get());
        if (found.isEmpty()) {
            return;
        }
        McpSession session = found.get();
        StandaloneStream stream = new StandaloneStream();
        if (!session.attachStandaloneStream(stream)) {
            HttpReplies.refuse(response, callback, 409, "Conflict: this session already has an open GET stream");
            return;
        }
        try {
            stream.serve(response, config.sseKeepAlive(), config.sseIdleTimeout());
            callback.succeeded();
        } catch (IOException e) {
            callback.failed(e);
        } finally {
            session.detachStandaloneStream(stream);
        }
    }

    private void delete(Request request, Response response, Callback callback) {
        if (config.sessionMode() == SessionMode.STATELESS) {
            methodNotAllowed(response, callback, "Method Not Allowed: this server is stateless and has no sessions to end");
            return;
        }
        Optional<Caller> caller = authenticate(request, response, callback);
        if (caller.isEmpty()) {
            return;
        }
        Optional<McpSession> found = existingSession(request, response, callback, caller.get());
        if (found.isPresent()) {
            mcp.sessions().end(found.get().id().orElseThrow());
            HttpReplies.empty(response, callback, 200);
        }
    }

    /**
     * RS-07, RS-15, RS-18: every request is authenticated from its {@code Authorization} header alone, before its
     * body is read. Returns the caller, or empty after answering with the challenge (whose JSON-RPC id is null:
     * the unread body is not looked at).
     */
    private Optional<Caller> authenticate(Request request, Response response, Callback callback) {
        if (protection.isEmpty()) {
            return Optional.of(Caller.anonymous());
        }
        BearerAuthentication.Result result = protection.get().authentication()
                .authenticate(request.getHeaders().getValuesList(HttpHeader.AUTHORIZATION));
        return switch (result) {
            case BearerAuthentication.Result.Authenticated a -> Optional.of(a.token().toCaller());
            case BearerAuthentication.Result.Refused r -> {
                challenge(response, callback, r.challenge(), null);
                yield Optional.empty();
            }
        };
    }

    /** The access policy step, before dispatch (RS-11 … RS-13); a denial is a 403 naming this operation's scopes. */
    private boolean authorized(JsonRpcMessage.Request request, Caller caller, Response response, Callback callback) {
        if (protection.isEmpty()) {
            return true;
        }
        AuthAudit audit = protection.get().authentication().audit();
        String target = request.params().path("name").asString(request.params().path("uri").asString(""));
        Optional<AccessPolicy.Denial> denial = mcp.authorize(request, caller);
        if (denial.isPresent()) {
            audit.denied(caller, request.method(), target, denial.get().description());
            challenge(response, callback, new BearerChallenge.InsufficientScope(denial.get().requiredScopes(),
                    denial.get().description()), request.id());
            return false;
        }
        audit.allowed(caller, request.method(), target);
        return true;
    }

    private void challenge(Response response, Callback callback, BearerChallenge challenge, JsonNode id) {
        protection.orElseThrow().challenges().render(challenge)
                .ifPresent(header -> response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, header));
        String message = switch (challenge) {
            case BearerChallenge.MissingToken m -> "Unauthorized: this server requires an OAuth access token";
            case BearerChallenge.InvalidRequest r -> "Bad Request: " + r.description();
            case BearerChallenge.InvalidToken t -> "Unauthorized: " + t.description();
            case BearerChallenge.InsufficientScope s -> "Forbidden: " + s.description();
            case BearerChallenge.Unavailable u -> {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, String.valueOf(u.retryAfterSeconds()));
                yield "Service Unavailable: access tokens cannot be verified right now; try again shortly";
            }
        };
        HttpReplies.rpcError(response, callback, challenge.status(), id, UNAUTHORIZED, message);
    }

    /** Finds the request's session, or answers 400 (no id) or 404 (unknown, ended, or someone else's). */
    private Optional<McpSession> existingSession(Request request, Response response, Callback callback, Caller caller) {
        String id = request.getHeaders().get(SESSION_ID);
        if (id == null || id.isBlank()) {
            HttpReplies.refuse(response, callback, 400, "Bad Request: Mcp-Session-Id header is required; initialize first");
            return Optional.empty();
        }
        Optional<McpSession> session = mcp.sessions().find(id).filter(s -> s.isOwnedBy(caller));
        if (session.isEmpty()) {
            HttpReplies.refuse(response, callback, 404, "Session not found: it ended or never existed; initialize again");
            return Optional.empty();
        }
        session.get().touch();
        return session;
    }

    /** T-13: an unsupported {@code MCP-Protocol-Version} is 400; a missing one means 2025-03-26. */
    private static boolean versionHeaderSupported(Request request, Response response, Callback callback) {
        String version = request.getHeaders().get(PROTOCOL_VERSION);
        if (version != null && !ProtocolVersions.isSupported(version)) {
            // the header's value is not repeated: it is the client's, and may be any bytes
            HttpReplies.refuse(response, callback, 400, "Bad Request: unsupported MCP-Protocol-Version; supported: "
                    + String.join(", ", ProtocolVersions.SUPPORTED));
            return false;
        }
        return true;
    }

    private static String versionOf(Request request) {
        String version = request.getHeaders().get(PROTOCOL_VERSION);
        return version != null ? version : ProtocolVersions.ASSUMED_WITHOUT_HEADER;
    }

    /**
     * Reads the body of an authenticated request up to the limit; empty when it is larger. Nothing is allocated
     * from the declared {@code Content-Length}: the buffer grows with the bytes that actually arrive.
     */
    private Optional<byte[]> readBody(Request request) throws IOException {
        long declared = request.getLength();
        if (declared > config.maxRequestBytes()) {
            return Optional.empty();
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] body = in.readNBytes(config.maxRequestBytes() + 1);
            return body.length > config.maxRequestBytes() ? Optional.empty() : Optional.of(body);
        }
    }

    private void methodNotAllowed(Response response, Callback callback, String message) {
        response.getHeaders().put(HttpHeader.ALLOW,
                config.sessionMode() == SessionMode.STATELESS ? "POST, OPTIONS" : "GET, POST, DELETE, OPTIONS");
        HttpReplies.refuse(response, callback, 405, message);
    }

    static String mediaType(String header) {
        if (header == null) {
            return "";
        }
        int semicolon = header.indexOf(';');
        return (semicolon < 0 ? header : header.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /** What an {@code Accept} header allows; no header at all allows anything. */
    record Accept(boolean json, boolean sse, boolean explicitlySse) {
        static Accept parse(String header) {
            if (header == null || header.isBlank()) {
                return new Accept(true, true, false);
            }
            boolean json = false;
            boolean sse = false;
            boolean explicit = false;
            for (String range : header.split(",")) {
                String type = mediaType(range);
                switch (type) {
                    case "*/*" -> {
                        json = true;
                        sse = true;
                    }
                    case "application/*", "application/json" -> json = true;
                    case "text/*" -> sse = true;
                    case "text/event-stream" -> {
                        sse = true;
                        explicit = true;
                    }
                    default -> {
                    }
                }
            }
            return new Accept(json, sse, explicit);
        }
    }
}
