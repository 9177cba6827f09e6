package io.gatehouse.transport;

import io.gatehouse.mcp.context.LogLevel;
import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcErrorCodes;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import io.gatehouse.mcp.internal.server.McpSession;
import io.gatehouse.mcp.internal.server.ProtocolVersions;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A POST served under MCP 2026-07-28 (V-1, V-4): its body carries the per-request
 * {@code _meta["io.modelcontextprotocol/protocolVersion"]}, or its {@code MCP-Protocol-Version} header names
 * 2026-07-28. Everything else (no such {@code _meta}, a legacy header or none) keeps the legacy, {@code initialize}d
 * path. Parsing, which comes after authentication and authorization (their 401 and 403 come first), checks in this
 * order, with the request's id in every refusal and never a null one (B-3):
 * <ol>
 *   <li>the message: a POSTed response is 400 (H-3); a notification needs nothing more (H-4), except
 *   {@code notifications/initialized}, removed, which is 404 {@code -32601} (H-11);</li>
 *   <li>{@code _meta}: present, with {@code protocolVersion} and {@code clientCapabilities}; {@code clientInfo} optional;
 *   a {@code logLevel} the server knows (B-6, L-1): else 400 {@code -32602};</li>
 *   <li>{@code MCP-Protocol-Version}: present and equal to {@code _meta}'s (H-10), else 400 {@code -32020}; then a
 *   version this server serves, else 400 {@code -32022} listing the supported ones (V-2);</li>
 *   <li>{@code Mcp-Method} equal to the method, and {@code Mcp-Name} (decoded, H-13) equal to {@code params.name} or
 *   {@code params.uri} where the method has one (H-12), else 400 {@code -32020}.</li>
 * </ol>
 * The request is then served statelessly with a transient {@link McpSession#modern modern session}: no
 * {@code Mcp-Session-Id} is read, minted or echoed (V-8).
 */
record ModernRequest(JsonRpcMessage message, McpSession session) {

    static final String META_PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";
    static final String META_CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
    static final String META_CLIENT_INFO = "io.modelcontextprotocol/clientInfo";
    static final String META_LOG_LEVEL = "io.modelcontextprotocol/logLevel";
    static final String METHOD = "Mcp-Method";
    static final String NAME = "Mcp-Name";
    /**
     * What {@code data.requested} echoes: a version-like token. Anything else is the client's arbitrary bytes, which
     * no refusal repeats; {@code requested} is then empty.
     */
    private static final java.util.regex.Pattern VERSION_TOKEN = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** Whether the headers alone declare 2026-07-28 (all a refusal before the body is read can know). */
    static boolean declaredBy(HttpFields headers) {
        return ProtocolVersions.MODERN.equals(headers.get(StreamableHttpEndpoint.PROTOCOL_VERSION));
    }

    /** Whether this POSTed message is to be served under 2026-07-28: its headers or its {@code _meta} say so. */
    static boolean isModern(HttpFields headers, JsonRpcMessage message) {
        return declaredBy(headers) || carriesModernMeta(message);
    }

    /** The validated modern request; a {@link Refusal} when it is invalid. */
    static ModernRequest parse(HttpFields headers, JsonRpcMessage message) {
        return switch (message) {
            case JsonRpcMessage.Request r -> request(headers, r);
            case JsonRpcMessage.Notification n -> notification(n);
            case JsonRpcMessage.Response r -> throw postedResponse();
            case JsonRpcMessage.ErrorResponse r -> throw postedResponse();
        };
    }

    /**
     * The HTTP status of a 2026-07-28 answer: 404 for an unknown method (H-11), 400 for the errors the revision puts
     * on 400 (B-7, V-2, H-10), 200 for everything else.
     */
    static int httpStatus(JsonRpcMessage answer) {
        if (answer instanceof JsonRpcMessage.ErrorResponse e) {
            return switch (e.error().code()) {
                case JsonRpcErrorCodes.METHOD_NOT_FOUND -> 404;
                case JsonRpcErrorCodes.HEADER_MISMATCH, JsonRpcErrorCodes.MISSING_CLIENT_CAPABILITY,
                     JsonRpcErrorCodes.UNSUPPORTED_PROTOCOL_VERSION -> 400;
                default -> 200;
            };
        }
        return 200;
    }

    /**
     * 400 {@code -32022}: {@code data.supported} as {@code server/discover} lists them ({@code supported}: what the server
     * serves), {@code data.requested} as sent (V-2).
     */
    static Refusal unsupportedVersion(String requested, JsonNode id, List<String> supported) {
        ObjectNode data = Json.object();
        data.set("supported", Json.MAPPER.valueToTree(supported));
        data.put("requested", VERSION_TOKEN.matcher(requested).matches() ? requested : "");
        return Refusal.rpc(400, id, JsonRpcErrorCodes.UNSUPPORTED_PROTOCOL_VERSION,
                "Unsupported protocol version; supported: " + String.join(", ", supported)).withData(data);
    }

    private static boolean carriesModernMeta(JsonRpcMessage message) {
        ObjectNode params = switch (message) {
            case JsonRpcMessage.Request r -> r.params();
            case JsonRpcMessage.Notification n -> n.params();
            default -> null;
        };
        return params != null && params.path("_meta").has(META_PROTOCOL_VERSION);
    }

    private static ModernRequest request(HttpFields headers, JsonRpcMessage.Request request) {
        JsonNode id = request.id();
        JsonNode meta = request.params().get("_meta");
        if (meta == null || !meta.isObject()) {
            throw invalidMeta(id, "params._meta is required");
        }
        JsonNode version = meta.get(META_PROTOCOL_VERSION);
        if (version == null || !version.isString()) {
            throw invalidMeta(id, "_meta[\"" + META_PROTOCOL_VERSION + "\"] must be a string");
        }
        JsonNode capabilities = meta.get(META_CLIENT_CAPABILITIES);
        if (capabilities == null || !capabilities.isObject()) {
            throw invalidMeta(id, "_meta[\"" + META_CLIENT_CAPABILITIES + "\"] must be an object");
        }
        LogLevel level = logLevel(meta.get(META_LOG_LEVEL), id);
        Mirrors mirrors = Mirrors.of(headers, id);
        checkVersion(mirrors.version(), version.stringValue(), id);
        checkMirrored(mirrors, request);
        return new ModernRequest(request, McpSession.modern(capabilities, meta.get(META_CLIENT_INFO), level));
    }

    private static ModernRequest notification(JsonRpcMessage.Notification notification) {
        if (notification.method().equals("notifications/initialized")) {
            throw Refusal.rpc(404, null, JsonRpcErrorCodes.METHOD_NOT_FOUND,
                    "Method not found: notifications/initialized (2026-07-28 has no initialize)").withoutNullId();
        }
        return new ModernRequest(notification, McpSession.modern(Json.object(), null, null));
    }

    private static LogLevel logLevel(JsonNode level, JsonNode id) {
        if (level == null) {
            return null;
        }
        return LogLevel.parse(level.stringValue(null))
                .orElseThrow(() -> invalidMeta(id, "_meta[\"" + META_LOG_LEVEL + "\"] is not a log level"));
    }

    private static void checkVersion(String header, String version, JsonNode id) {
        if (header == null) {
            throw headerMismatch(id, "the MCP-Protocol-Version header is required");
        }
        if (!header.equals(version)) {
            throw headerMismatch(id, "the MCP-Protocol-Version header does not match _meta's protocolVersion");
        }
        if (!version.equals(ProtocolVersions.MODERN)) {
            throw unsupportedVersion(version, id, ProtocolVersions.ALL);
        }
    }

    /** H-12, H-13: the headers that mirror the body, for intermediaries that route on them, match it exactly. */
    private static void checkMirrored(Mirrors headers, JsonRpcMessage.Request request) {
        String method = headers.method();
        if (method == null) {
            throw headerMismatch(request.id(), "the Mcp-Method header is required");
        }
        if (!method.equals(request.method())) {
            throw headerMismatch(request.id(), "the Mcp-Method header does not match the method");
        }
        String field = switch (request.method()) {
            case "tools/call", "prompts/get" -> "name";
            case "resources/read" -> "uri";
            default -> null;
        };
        if (field == null) {
            return;
        }
        JsonNode body = request.params().get(field);
        String header = headers.name();
        if (header == null) {
            if (body != null && !body.isNull()) {
                throw headerMismatch(request.id(), "the Mcp-Name header is required for " + request.method());
            }
            return;
        }
        Optional<String> decoded = HeaderValue.decode(header);
        if (decoded.isEmpty()) {
            throw headerMismatch(request.id(), "the Mcp-Name header is malformed");
        }
        if (body == null || !body.isString() || !body.stringValue().equals(decoded.get())) {
            throw headerMismatch(request.id(), "the Mcp-Name header does not match params." + field);
        }
    }

    /**
     * The headers a 2026-07-28 request mirrors its body in, each with its one value or null when absent, read in one
     * pass. A header given twice is refused: an intermediary might route on one value while this server reads the other.
     */
    private record Mirrors(String version, String method, String name) {
        static Mirrors of(HttpFields headers, JsonNode id) {
            String version = null;
            String method = null;
            String name = null;
            for (HttpField field : headers) {
                String header = field.getName();
                if (header.equalsIgnoreCase(StreamableHttpEndpoint.PROTOCOL_VERSION)) {
                    version = once(version, field, StreamableHttpEndpoint.PROTOCOL_VERSION, id);
                } else if (header.equalsIgnoreCase(METHOD)) {
                    method = once(method, field, METHOD, id);
                } else if (header.equalsIgnoreCase(NAME)) {
                    name = once(name, field, NAME, id);
                }
            }
            return new Mirrors(version, method, name);
        }

        private static String once(String seen, HttpField field, String header, JsonNode id) {
            if (seen != null) {
                throw headerMismatch(id, "the " + header + " header is repeated");
            }
            return field.getValue();
        }
    }

    private static Refusal invalidMeta(JsonNode id, String why) {
        return Refusal.rpc(400, id, JsonRpcErrorCodes.INVALID_PARAMS, "Invalid params: " + why);
    }

    private static Refusal headerMismatch(JsonNode id, String why) {
        return Refusal.rpc(400, id, JsonRpcErrorCodes.HEADER_MISMATCH, "Header mismatch: " + why);
    }

    private static Refusal postedResponse() {
        return Refusal.rpc(400, null, JsonRpcErrorCodes.INVALID_REQUEST,
                "Invalid Request: 2026-07-28 clients POST requests and notifications only, never responses").withoutNullId();
    }
}
