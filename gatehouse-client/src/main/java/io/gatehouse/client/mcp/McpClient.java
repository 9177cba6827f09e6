package io.gatehouse.client.mcp;

import io.gatehouse.client.oauth.Http;
import io.gatehouse.client.oauth.McpAuthorizer;
import io.gatehouse.client.oauth.OAuthClientException;
import io.gatehouse.client.oauth.WwwAuthenticate;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A small MCP client over Streamable HTTP that authorizes itself: the bearer token goes in the
 * {@code Authorization} header of every request (CL-09); a 401 runs the authorization flow once, a 403
 * {@code insufficient_scope} re-authorizes with the union of scopes at most {@link #MAX_STEP_UPS} times (CL-03).
 * Answers may be JSON or server-sent events.
 */
public final class McpClient implements AutoCloseable {

    public static final int MAX_STEP_UPS = 2;
    public static final String PROTOCOL_VERSION = "2025-11-25";

    private final URI url;
    private final Http http;
    private final McpAuthorizer authorizer;
    private final AtomicLong ids = new AtomicLong();
    private Optional<String> token;
    private Optional<String> sessionId = Optional.empty();
    private String protocolVersion;

    public McpClient(URI url, Http http, McpAuthorizer authorizer) {
        this.url = url;
        this.http = http;
        this.authorizer = authorizer;
        this.token = authorizer.storedToken(url);
    }

    /** Initializes the session; the result is the server's InitializeResult. */
    public JsonNode initialize(String clientName) {
        ObjectNode params = Http.JSON.createObjectNode();
        params.put("protocolVersion", PROTOCOL_VERSION);
        params.putObject("capabilities");
        ObjectNode info = params.putObject("clientInfo");
        info.put("name", clientName);
        info.put("version", "1");
        JsonNode result = request("initialize", params);
        protocolVersion = result.path("protocolVersion").asString(PROTOCOL_VERSION);
        notify("notifications/initialized");
        return result;
    }

    /** Sends a request and returns its result; a JSON-RPC error becomes an {@link McpException}. */
    public JsonNode request(String method, ObjectNode params) {
        int stepUps = 0;
        boolean authorized = false;
        while (true) {
            long id = ids.incrementAndGet();
            ObjectNode message = Http.JSON.createObjectNode();
            message.put("jsonrpc", "2.0");
            message.put("id", id);
            message.put("method", method);
            message.set("params", params);
            HttpResponse<String> response = post(message.toString());
            Optional<WwwAuthenticate> challenge = WwwAuthenticate.parse(response.headers().firstValue("WWW-Authenticate").orElse(null));
            if (response.statusCode() == 401 && !authorized) {
                token = Optional.of(authorizer.authorize(url, challenge, Set.of()));
                authorized = true;
                continue;
            }
            if (response.statusCode() == 403 && challenge.flatMap(WwwAuthenticate::error).orElse("").equals("insufficient_scope")
                    && stepUps < MAX_STEP_UPS) {
                stepUps++;
                token = Optional.of(authorizer.authorize(url, challenge, authorizer.heldScopes(url)));
                continue;
            }
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                throw new OAuthClientException("the server refused access (" + response.statusCode() + "): "
                        + Http.excerpt(response.headers().firstValue("WWW-Authenticate").orElse("no challenge"), 300));
            }
            response.headers().firstValue("Mcp-Session-Id").ifPresent(s -> sessionId = Optional.of(s));
            JsonNode answer = answer(response, id);
            if (answer.has("error")) {
                throw new McpException(answer.path("error").path("code").asInt(), Http.excerpt(answer.path("error").path("message").asString(""), 500));
            }
            return answer.path("result");
        }
    }

    public void notify(String method) {
        ObjectNode message = Http.JSON.createObjectNode();
        message.put("jsonrpc", "2.0");
        message.put("method", method);
        post(message.toString());
    }

    private HttpResponse<String> post(String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(body));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        sessionId.ifPresent(s -> request.header("Mcp-Session-Id", s));
        if (protocolVersion != null) {
            request.header("MCP-Protocol-Version", protocolVersion);
        }
        return http.send(request, Http.Limits.MCP);
    }

    /** The JSON-RPC response for {@code id}, from a JSON body or from the events of an SSE body. */
    private JsonNode answer(HttpResponse<String> response, long id) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("text/event-stream")) {
            if (response.statusCode() / 100 != 2) {
                throw new McpException(response.statusCode(), "HTTP " + response.statusCode() + ": " + Http.excerpt(response.body(), 300));
            }
            return Http.json(response, "the MCP response");
        }
        for (String block : response.body().split("\n\n")) {
            StringBuilder data = new StringBuilder();
            for (String line : block.split("\n")) {
                if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                }
            }
            if (!data.isEmpty()) {
                JsonNode message;
                try {
                    message = Http.JSON.readTree(data.toString());
                } catch (tools.jackson.core.JacksonException e) {
                    throw new McpException(-32700, "the event stream carries an event that is not JSON");
                }
                if (message.path("id").asLong(-1) == id && (message.has("result") || message.has("error"))) {
                    return message;
                }
            }
        }
        throw new McpException(-32603, "the event stream ended without a response");
    }

    @Override
    public void close() {
        sessionId.ifPresent(s -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(url).header("Mcp-Session-Id", s).DELETE();
            token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
            http.send(request);
        });
    }

    /** A JSON-RPC error from the server. */
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
