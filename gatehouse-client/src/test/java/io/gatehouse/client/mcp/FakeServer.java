package io.gatehouse.client.mcp;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A scripted MCP endpoint on 127.0.0.1 (ephemeral port) that records every POST: a fake 2026 or legacy server. */
final class FakeServer implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** One POST as received: its headers (names lower-cased) and its JSON body. */
    record Received(Map<String, String> headers, JsonNode body) {
        String method() {
            return body.path("method").asString("");
        }

        JsonNode meta() {
            return body.path("params").path("_meta");
        }
    }

    /** What to answer: a status and a JSON body (null for none), plus headers. */
    record Answer(int status, String body, Map<String, String> headers) {
        static Answer json(int status, String body) {
            return new Answer(status, body, Map.of());
        }

        static Answer result(Received request, String result) {
            return json(200, "{\"jsonrpc\":\"2.0\",\"id\":" + request.body().path("id") + ",\"result\":" + result + "}");
        }

        static Answer error(Received request, int status, int code, String data) {
            return json(status, "{\"jsonrpc\":\"2.0\",\"id\":" + request.body().path("id") + ",\"error\":{\"code\":" + code
                    + ",\"message\":\"refused\"" + (data == null ? "" : ",\"data\":" + data) + "}}");
        }
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    FakeServer(Function<Received, Answer> script) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/mcp", exchange -> {
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.getFirst()));
            Answer answer;
            if (!exchange.getRequestMethod().equals("POST")) {
                answer = Answer.json(405, null);
            } else {
                Received request = new Received(headers, JSON.readTree(exchange.getRequestBody().readAllBytes()));
                received.add(request);
                answer = script.apply(request);
            }
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            byte[] body = answer.body() == null ? new byte[0] : answer.body().getBytes(StandardCharsets.UTF_8);
            if (body.length > 0) {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
            }
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mcp");
    }

    List<String> methods() {
        return received.stream().map(Received::method).toList();
    }

    Received last(String method) {
        return received.reversed().stream().filter(r -> r.method().equals(method)).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
