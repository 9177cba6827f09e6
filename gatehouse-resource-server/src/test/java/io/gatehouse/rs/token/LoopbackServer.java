package io.gatehouse.rs.token;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A JDK HTTP server on 127.0.0.1 and an ephemeral port that records every request it receives. */
final class LoopbackServer implements AutoCloseable {

    record Request(String method, String path, Headers headers, String body) {
    }

    record Response(int status, String contentType, String body, Map<String, String> headers) {
        Response(int status, String contentType, String body) {
            this(status, contentType, body, Map.of());
        }

        static Response json(String body) {
            return new Response(200, "application/json; charset=UTF-8", body);
        }

        static Response status(int status) {
            return new Response(status, "text/plain", "unavailable");
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Function<Request, Response> handler;

    private LoopbackServer(Function<Request, Response> handler) throws IOException {
        this.handler = handler;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        new Headers(exchange.getRequestHeaders()), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                requests.add(request);
                Response response = this.handler.apply(request);
                byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", response.contentType());
                response.headers().forEach(exchange.getResponseHeaders()::set);
                exchange.sendResponseHeaders(response.status(), body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
    }

    static LoopbackServer start(Function<Request, Response> handler) throws IOException {
        return new LoopbackServer(handler);
    }

    void respondWith(Function<Request, Response> handler) {
        this.handler = handler;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    int hits() {
        return requests.size();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
