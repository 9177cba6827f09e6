package io.gatehouse.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A small MCP client for tests, speaking Streamable HTTP with {@link HttpClient}: it initializes, keeps the
 * session id and protocol version, and lets a test send well-formed requests or any raw body and headers.
 *
 * <pre>{@code
 * McpTestClient mcp = McpTestClient.to(server.mcpUri()).initialize();
 * McpReply reply = mcp.call("tools/call", Map.of("name", "echo", "arguments", Map.of("message", "hi")));
 * }</pre>
 */
public final class McpTestClient {

    public static final String PROTOCOL_VERSION = "2025-11-25";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final URI endpoint;
    private final HttpClient http;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private String sessionId;

    private McpTestClient(URI endpoint) {
        this.endpoint = endpoint;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public static McpTestClient to(URI endpoint) {
        return new McpTestClient(endpoint);
    }

    /** Adds a header to every later request (e.g. {@code Authorization}). */
    public McpTestClient header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public String sessionId() {
        return sessionId;
    }

    /** Sends initialize and notifications/initialized; keeps the session id the server returns. */
    public McpTestClient initialize() {
        McpReply reply = call("initialize", Map.of("protocolVersion", PROTOCOL_VERSION,
                "capabilities", Map.of("sampling", Map.of(), "elicitation", Map.of()),
                "clientInfo", Map.of("name", "gatehouse-test", "version", "1")));
        if (reply.status() != 200 || reply.json().has("error")) {
            throw new IllegalStateException("initialize failed: " + reply.status() + " " + reply.body());
        }
        sessionId = reply.header("Mcp-Session-Id").orElse(null);
        notify("notifications/initialized", Map.of());
        return this;
    }

    /** Sends a request with a fresh integer id. */
    public McpReply call(String method, Map<String, ?> params) {
        ObjectNode message = MAPPER.createObjectNode();
        message.put("jsonrpc", "2.0");
        message.put("id", ids.incrementAndGet());
        message.put("method", method);
        message.set("params", MAPPER.valueToTree(params));
        return post(message.toString());
    }

    public McpReply notify(String method, Map<String, ?> params) {
        ObjectNode message = MAPPER.createObjectNode();
        message.put("jsonrpc", "2.0");
        message.put("method", method);
        message.set("params", MAPPER.valueToTree(params));
        return post(message.toString());
    }

    /** POSTs a raw body with the usual MCP headers plus {@code extra} (name, value pairs; a null value removes). */
    public McpReply post(String body, String... extra) {
        HttpRequest.Builder request = base(extra).POST(HttpRequest.BodyPublishers.ofString(body));
        return send(request);
    }

    public McpReply get(String... extra) {
        return send(base(extra).GET());
    }

    public McpReply delete(String... extra) {
        return send(base(extra).DELETE());
    }

    /** Any method on any path of the same server, with only the given headers. */
    public McpReply raw(String method, String path, String body, String... headerPairs) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headerPairs.length; i += 2) {
            request.header(headerPairs[i], headerPairs[i + 1]);
        }
        return send(request);
    }

    private HttpRequest.Builder base(String... extra) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Content-Type", "application/json");
        all.put("Accept", "application/json, text/event-stream");
        if (sessionId != null) {
            all.put("Mcp-Session-Id", sessionId);
            all.put("MCP-Protocol-Version", PROTOCOL_VERSION);
        }
        all.putAll(headers);
        for (int i = 0; i + 1 < extra.length; i += 2) {
            if (extra[i + 1] == null) {
                all.remove(extra[i]);
            } else {
                all.put(extra[i], extra[i + 1]);
            }
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30));
        all.forEach(request::header);
        return request;
    }

    private McpReply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String type = response.headers().firstValue("Content-Type").orElse("");
            List<JsonNode> events = type.startsWith("text/event-stream") ? McpReply.parseEvents(response.body()) : List.of();
            return new McpReply(response.statusCode(), response.headers(), response.body(), events);
        } catch (IOException e) {
            throw new IllegalStateException("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
