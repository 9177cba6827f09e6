package io.gatehouse.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A small HTTP server on 127.0.0.1 playing a hostile server in attack tests: it answers with the handlers the
 * test gives, per method and path, and records every request it receives (method, URI, headers, body).
 */
final class HostileHttpServer implements AutoCloseable {

    /** One request as the server saw it. */
    record Seen(String method, URI uri, Map<String, List<String>> headers, String body) {
        /** Everything the client sent, as one text to search for leaked values. */
        String everything() {
            return method + " " + uri + "\n" + headers + "\n" + body;
        }
    }

    /** Answers one request; the body was already read into {@code seen}. */
    @FunctionalInterface
    interface Handler {
        void handle(HttpExchange exchange, Seen seen) throws IOException;
    }

    private final HttpServer server;
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    HostileHttpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readNBytes(1 << 20), StandardCharsets.UTF_8);
                Seen request = new Seen(exchange.getRequestMethod(), exchange.getRequestURI(), Map.copyOf(exchange.getRequestHeaders()), body);
                seen.add(request);
                Handler handler = handlers.get(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
                if (handler == null) {
                    send(exchange, 404, "application/json", "{\"error\":\"not_found\"}");
                } else {
                    handler.handle(exchange, request);
                }
            } catch (IOException | RuntimeException e) {
                // the client went away (as it should from a hostile answer)
            }
        });
        server.start();
    }

    /** The origin, e.g. {@code http://127.0.0.1:40123}. */
    String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    HostileHttpServer on(String method, String path, Handler handler) {
        handlers.put(method + " " + path, handler);
        return this;
    }

    /** Answers {@code method path} with this JSON. */
    HostileHttpServer json(String method, String path, int status, String json) {
        return on(method, path, (exchange, request) -> send(exchange, status, "application/json", json));
    }

    List<Seen> requests() {
        return new ArrayList<>(seen);
    }

    /** All the client sent to this server, as one text. */
    String everythingReceived() {
        return String.join("\n---\n", seen.stream().map(Seen::everything).toList());
    }

    static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
