package io.gatehouse.client.mcp;

import io.gatehouse.client.oauth.Http;
import io.gatehouse.client.oauth.McpAuthorizer;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A small dual-era MCP client over Streamable HTTP that authorizes itself ({@code AuthorizedPost}: the bearer token
 * on every request, CL-09; a 401 runs the authorization flow once, a 403 {@code insufficient_scope} steps up at most
 * {@link #MAX_STEP_UPS} times, CL-03).
 *
 * <p>It speaks MCP 2026-07-28 to a server that does (per-request {@code _meta}, {@code MCP-Protocol-Version},
 * {@code Mcp-Method}/{@code Mcp-Name}/{@code Mcp-Param-*} headers, no session; an {@code InputRequiredResult} is
 * answered through the {@link InputResponder} and the request retried) and falls back to 2025-11-25
 * ({@code initialize} and a session) otherwise. The era is found as the specification's backward-compatibility
 * rules say (V-5): a modern {@code server/discover} probe; a recognised modern error means "modern, retry with a
 * supported version", anything else means "legacy". A pinned version is used alone, or refused with a clear error.
 * Answers may be JSON or server-sent events.
 */
public final class McpClient implements AutoCloseable {

    public static final int MAX_STEP_UPS = 2;
    /** How many {@code InputRequiredResult}s one request may get before the client gives up (a server must not loop). */
    public static final int MAX_INPUT_ROUNDS = 10;

    /**
     * How the client presents itself.
     *
     * @param protocolVersion a pinned revision (one of {@link ProtocolVersions#SUPPORTED}), or empty to negotiate
     * @param clientName      the {@code clientInfo} name
     * @param clientVersion   the {@code clientInfo} version
     * @param responder       answers input requests and says which capabilities to declare
     */
    public record Settings(Optional<String> protocolVersion, String clientName, String clientVersion, InputResponder responder) {
        public Settings {
            protocolVersion.filter(v -> !ProtocolVersions.SUPPORTED.contains(v)).ifPresent(v -> {
                throw new IllegalArgumentException("unsupported protocol version " + v + "; this client speaks " + ProtocolVersions.SUPPORTED);
            });
        }

        public static Settings defaults(String clientName) {
            return new Settings(Optional.empty(), clientName, "1", InputResponder.none());
        }
    }

    private static final Set<String> INPUT_METHODS = Set.of("tools/call", "prompts/get", "resources/read");

    private final AuthorizedPost post;
    private final Settings settings;
    private final ToolCatalog tools = new ToolCatalog();
    private String protocolVersion;
    private ServerDescription description;

    public McpClient(URI url, Http http, McpAuthorizer authorizer) {
        this(url, http, authorizer, Settings.defaults("gatehouse-cli"));
    }

    public McpClient(URI url, Http http, McpAuthorizer authorizer, Settings settings) {
        this.post = new AuthorizedPost(url, http, authorizer);
        this.settings = settings;
    }

    /** Finds the server's era and revision (once): a modern probe, else {@code initialize}; a pinned revision alone. */
    public ServerDescription connect() {
        if (description != null) {
            return description;
        }
        Optional<String> pin = settings.protocolVersion();
        if (pin.isPresent() && !ProtocolVersions.isModern(pin.get())) {
            return initialize(pin.get(), true);
        }
        return probe(ProtocolVersions.MODERN, pin.isPresent(), true);
    }

    /** Sends a request (connecting first) and returns its complete result; a JSON-RPC error becomes an {@link McpException}. */
    public JsonNode request(String method, ObjectNode params) {
        connect();
        return description.modern() ? modernRequest(method, params) : legacyRequest(method, params);
    }

    public boolean modern() {
        return connect().modern();
    }

    public String protocolVersion() {
        return connect().protocolVersion();
    }

    /** Sends a legacy notification (there are none from the client in the modern revision). */
    public void notify(String method) {
        ObjectNode message = Http.JSON.createObjectNode();
        message.put("jsonrpc", "2.0");
        message.put("method", method);
        post.post(message.toString(), legacyHeaders());
    }

    private ServerDescription probe(String version, boolean pinned, boolean mayRetry) {
        Reply reply = modernExchange("server/discover", Http.JSON.createObjectNode(), version);
        Optional<JsonNode> result = reply.ok() ? reply.result() : Optional.empty();
        if (result.isPresent() && result.get().path("supportedVersions").isArray()) {
            String chosen = choose(result.get().path("supportedVersions"), pinned);
            if (!ProtocolVersions.isModern(chosen)) {
                return initialize(chosen, pinned);
            }
            return modern(chosen, result.get());
        }
        switch (ModernError.classify(reply)) {
            case UNSUPPORTED_VERSION -> {
                String chosen = choose(reply.error().orElseThrow().path("data").path("supported"), pinned);
                if (!ProtocolVersions.isModern(chosen)) {
                    return initialize(chosen, pinned);
                }
                if (!mayRetry) {
                    throw new McpException(reply.errorCode(), "the server refused protocol version " + chosen + " twice: " + reply.exception().getMessage());
                }
                return probe(chosen, pinned, false);
            }
            case METHOD_NOT_FOUND -> {
                return modern(version, Http.JSON.createObjectNode());
            }
            case OTHER_MODERN -> throw new McpException(reply.errorCode(), "the server (MCP " + version + ") refused server/discover: "
                    + reply.exception().getMessage());
            default -> {
                if (pinned) {
                    throw new McpException(-32022, "the server does not speak MCP " + version + " (it answered server/discover with "
                            + describe(reply) + ")");
                }
                return initialize(ProtocolVersions.LEGACY, false);
            }
        }
    }

    private String choose(JsonNode supported, boolean pinned) {
        var acceptable = pinned ? Set.of(settings.protocolVersion().orElseThrow()) : Set.copyOf(ProtocolVersions.SUPPORTED);
        return ProtocolVersions.choose(supported, acceptable).orElseThrow(() -> new McpException(-32022, "the server speaks MCP "
                + Http.excerpt(String.valueOf(supported), 200) + ", this client " + (pinned ? "was asked to speak " + acceptable : "speaks "
                + ProtocolVersions.SUPPORTED) + ": no version in common"));
    }

    private ServerDescription modern(String version, JsonNode discovered) {
        protocolVersion = version;
        description = ServerDescription.of(version, true, discovered);
        return description;
    }

    private ServerDescription initialize(String version, boolean pinned) {
        ObjectNode params = Http.JSON.createObjectNode();
        params.put("protocolVersion", version);
        params.set("capabilities", Http.JSON.createObjectNode());
        params.set("clientInfo", clientInfo());
        JsonNode result;
        try {
            result = legacyRequest("initialize", params);
        } catch (McpException e) {
            throw pinned ? new McpException(e.code(), "the server does not speak MCP " + version + " (initialize failed: " + e.getMessage() + ")") : e;
        }
        String offered = result.path("protocolVersion").asString(version);
        if (pinned && !offered.equals(version)) {
            throw new McpException(-32022, "the server does not speak MCP " + version + " (it offered " + Http.excerpt(offered, 40) + ")");
        }
        protocolVersion = offered;
        description = ServerDescription.of(offered, false, result);
        notify("notifications/initialized");
        return description;
    }

    private static String describe(Reply reply) {
        return "HTTP " + reply.status() + reply.error().map(e -> ", error " + e.path("code").asInt() + " "
                + Http.excerpt(e.path("message").asString(""), 200)).orElse("");
    }

    private JsonNode modernRequest(String method, ObjectNode params) {
        ObjectNode current = params;
        boolean renegotiated = false;
        boolean relisted = false;
        for (int round = 0; ; ) {
            Reply reply = modernExchange(method, current, protocolVersion);
            if (reply.error().isPresent() || !reply.ok()) {
                if (reply.errorCode() == ModernError.UNSUPPORTED_PROTOCOL_VERSION && !renegotiated) {
                    String chosen = choose(reply.error().orElseThrow().path("data").path("supported"), settings.protocolVersion().isPresent());
                    if (ProtocolVersions.isModern(chosen)) {
                        renegotiated = true;
                        protocolVersion = chosen;
                        continue;
                    }
                }
                if (reply.errorCode() == ModernError.HEADER_MISMATCH && method.equals("tools/call") && !relisted) {
                    relisted = true;
                    tools.forget();
                    continue;
                }
                throw reply.exception();
            }
            JsonNode result = reply.result().orElseThrow(reply::exception);
            if (method.equals("tools/list")) {
                tools.accept(result);
            }
            if (!"input_required".equals(result.path("resultType").asString(""))) {
                return result;
            }
            if (!INPUT_METHODS.contains(method)) {
                throw new McpException(-32603, "the server asked for input on " + method + ", where the protocol does not allow it");
            }
            if (++round > MAX_INPUT_ROUNDS) {
                throw new McpException(-32603, "the server asked for input " + MAX_INPUT_ROUNDS + " times without completing " + method);
            }
            current = retry(params, result);
        }
    }

    /** The original params plus the answers to {@code inputRequests} and the {@code requestState}, echoed exactly. */
    private ObjectNode retry(ObjectNode original, JsonNode inputRequired) {
        ObjectNode retry = original.deepCopy();
        retry.remove("inputResponses");
        retry.remove("requestState");
        JsonNode requests = inputRequired.path("inputRequests");
        if (requests.isObject()) {
            ObjectNode responses = retry.putObject("inputResponses");
            for (Map.Entry<String, JsonNode> entry : requests.properties()) {
                String inputMethod = entry.getValue().path("method").asString("");
                responses.set(entry.getKey(), settings.responder().answer(inputMethod, entry.getValue().path("params")));
            }
        }
        JsonNode state = inputRequired.get("requestState");
        if (state != null && state.isString()) {
            retry.put("requestState", state.asString());
        }
        return retry;
    }

    private Reply modernExchange(String method, ObjectNode params, String version) {
        Map<String, String> headers = ModernRequest.headers(method, params, version);
        if (method.equals("tools/call")) {
            headers.putAll(tools.headers(params.path("name").asString(""), params.path("arguments"), this::listAllTools));
        }
        ObjectNode withMeta = ModernRequest.withMeta(params, version, clientInfo(), settings.responder().capabilities());
        return post.exchange(id -> message(id, method, withMeta), headers, false);
    }

    /** Lists every page of tools, so that the catalog knows each tool's x-mcp-header annotations. */
    private void listAllTools() {
        String cursor = null;
        for (int page = 0; page < 100; page++) {
            ObjectNode params = Http.JSON.createObjectNode();
            if (cursor != null) {
                params.put("cursor", cursor);
            }
            JsonNode result = modernRequest("tools/list", params);
            cursor = result.path("nextCursor").isString() ? result.path("nextCursor").asString() : null;
            if (cursor == null) {
                return;
            }
        }
    }

    private JsonNode legacyRequest(String method, ObjectNode params) {
        Reply reply = post.exchange(id -> message(id, method, params), legacyHeaders(), true);
        if (!reply.ok()) {
            throw new McpException(reply.status(), "HTTP " + reply.status() + ": " + Http.excerpt(reply.body(), 300));
        }
        if (reply.error().isPresent()) {
            throw reply.exception();
        }
        JsonNode result = reply.result().orElseThrow(reply::exception);
        if (method.equals("tools/list")) {
            tools.accept(result);
        }
        return result;
    }

    private Map<String, String> legacyHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        post.sessionId().ifPresent(s -> headers.put("Mcp-Session-Id", s));
        if (protocolVersion != null) {
            headers.put("MCP-Protocol-Version", protocolVersion);
        }
        return headers;
    }

    private static ObjectNode message(long id, String method, ObjectNode params) {
        ObjectNode message = Http.JSON.createObjectNode();
        message.put("jsonrpc", "2.0");
        message.put("id", id);
        message.put("method", method);
        message.set("params", params);
        return message;
    }

    private ObjectNode clientInfo() {
        ObjectNode info = Http.JSON.createObjectNode();
        info.put("name", settings.clientName());
        info.put("version", settings.clientVersion());
        return info;
    }

    @Override
    public void close() {
        post.endSession();
    }

    /** A JSON-RPC error from the server, or a refusal of this client's own. */
    public static final class McpException extends RuntimeException {
        private final int code;

        public McpException(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }
}
