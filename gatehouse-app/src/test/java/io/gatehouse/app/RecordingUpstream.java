package io.gatehouse.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * An upstream MCP server for gateway tests that records every HTTP request it gets (method, headers, body). It speaks
 * just enough Streamable HTTP at MCP 2025-11-25: {@code initialize} opens a session ({@code Mcp-Session-Id}),
 * notifications and responses get 202, {@code tools/list} lists one tool {@code echo}, {@code tools/call} answers the
 * call's {@code text} (but a call of {@code hold} is accepted and never answered), {@code ping} answers; a request
 * naming no session it knows gets 404; GET (no standalone stream) gets 405; DELETE ends the session. Every answer is
 * one JSON body. On 127.0.0.1 only.
 */
final class RecordingUpstream implements AutoCloseable {

    /** One HTTP request as it arrived: header names in any case (a case-insensitive map), the body as text. */
    record Recorded(String method, Map<String, List<String>> headers, String body) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer http;
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();
    /** Released at close: what {@code tools/call} of {@code hold} waits for (it never answers before). */
    private final CountDownLatch closing = new CountDownLatch(1);

    private RecordingUpstream(int port) throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.createContext("/mcp", this::handle);
        http.start();
    }

    /** Starts on a free port. */
    static RecordingUpstream start() throws IOException {
        return new RecordingUpstream(0);
    }

    /** Starts on this port (e.g. where a gateway already expects its upstream). */
    static RecordingUpstream start(int port) throws IOException {
        return new RecordingUpstream(port);
    }

    URI mcpUrl() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/mcp");
    }

    /** Every request received so far, in order. */
    List<Recorded> requests() {
        return List.copyOf(requests);
    }

    /** Waits for a request that matches; false when none came within {@code timeout}. */
    boolean await(Predicate<Recorded> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (requests) {
            while (requests.stream().noneMatch(wanted)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(requests, left);
            }
            return true;
        }
    }

    /** Waits for a session to be ended by DELETE; false when none was within {@code timeout}. */
    boolean awaitDelete(Duration timeout) throws InterruptedException {
        return await(r -> r.method().equals("DELETE"), timeout);
    }

    /** The JSON-RPC method of a recorded body, or "" when it has none. */
    static String jsonRpcMethod(Recorded request) {
        return request.body().isBlank() ? "" : JSON.readTree(request.body()).path("method").asString("");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
            synchronized (requests) {
                requests.add(new Recorded(exchange.getRequestMethod(), headers, body));
                requests.notifyAll();
            }
            String session = exchange.getRequestHeaders().getFirst("Mcp-Session-Id");
            switch (exchange.getRequestMethod()) {
                case "POST" -> post(exchange, session, JSON.readTree(body));
                case "DELETE" -> {
                    boolean known = session != null && sessions.remove(session);
                    exchange.sendResponseHeaders(known ? 200 : 404, -1);
                }
                default -> exchange.sendResponseHeaders(405, -1);
            }
        }
    }

    private void post(HttpExchange exchange, String session, JsonNode message) throws IOException {
        String method = message.path("method").asString("");
        if (!message.has("id") || method.isEmpty()) {
            exchange.sendResponseHeaders(202, -1); // a notification, or a response to a request of ours
            return;
        }
        ObjectNode answer = JSON.createObjectNode().put("jsonrpc", "2.0");
        answer.set("id", message.get("id"));
        if (method.equals("initialize")) {
            String id = UUID.randomUUID().toString();
            sessions.add(id);
            exchange.getResponseHeaders().add("Mcp-Session-Id", id);
            ObjectNode result = answer.putObject("result").put("protocolVersion", "2025-11-25");
            result.putObject("capabilities").putObject("tools");
            result.putObject("serverInfo").put("name", "recording-upstream").put("version", "1");
        } else if (session == null || !sessions.contains(session)) {
            exchange.sendResponseHeaders(404, -1);
            return;
        } else {
            switch (method) {
                case "ping" -> answer.putObject("result");
                case "tools/list" -> answer.putObject("result").set("tools", JSON.readTree("""
                        [{"name": "echo", "description": "Answers its text",
                          "inputSchema": {"type": "object", "properties": {"text": {"type": "string"}}}}]"""));
                case "tools/call" -> {
                    holdIfAsked(message);
                    answer.putObject("result").putArray("content").addObject().put("type", "text")
                            .put("text", message.path("params").path("arguments").path("text").asString(""));
                }
                default -> answer.putObject("error").put("code", -32601).put("message", "Method not found");
            }
        }
        byte[] bytes = answer.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** {@code tools/call} of {@code hold}: accepted, never answered while the upstream runs. */
    private void holdIfAsked(JsonNode message) {
        if (message.path("params").path("name").asString("").equals("hold")) {
            try {
                closing.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        closing.countDown();
        http.stop(0);
    }
}
