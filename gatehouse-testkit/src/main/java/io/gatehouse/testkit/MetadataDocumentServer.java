package io.gatehouse.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * A web server on 127.0.0.1 (JDK {@code HttpServer}, free port; or {@code HttpsServer} with a test certificate)
 * that serves client ID metadata documents, or whatever a test wants a document URL to answer, and counts the
 * requests it gets.
 */
public final class MetadataDocumentServer implements AutoCloseable {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private record Answer(int status, Map<String, String> headers, byte[] body, Duration holdBody) {
    }

    private final HttpServer http;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final CountDownLatch closing = new CountDownLatch(1);

    private MetadataDocumentServer(SSLContext tls) {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try {
            if (tls == null) {
                http = HttpServer.create(loopback, 0);
            } else {
                HttpsServer https = HttpsServer.create(loopback, 0);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                http = https;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        http.createContext("/", this::answer);
        http.setExecutor(executor);
        http.start();
    }

    public static MetadataDocumentServer start() {
        return new MetadataDocumentServer(null);
    }

    /** A server speaking https with the given server-side context (its certificate names whatever the test needs). */
    public static MetadataDocumentServer startTls(SSLContext tls) {
        return new MetadataDocumentServer(tls);
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** The server's origin, {@code http://127.0.0.1:<port>} (https for {@link #startTls}), without a path. */
    public String origin() {
        return (http instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + port();
    }

    public String url(String path) {
        return origin() + path;
    }

    /** A document in JSON from name/value pairs (values may be strings, lists or anything Jackson writes). */
    public static String json(Object... namesAndValues) {
        Map<String, Object> document = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            document.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return MAPPER.writeValueAsString(document);
    }

    /** A valid document for {@code path}: client_id is its URL, with a name and the given redirect URIs. */
    public String serveValidDocument(String path, String... redirectUris) {
        return serve(path, 200, json("client_id", url(path), "client_name", "Document App", "redirect_uris", List.of(redirectUris)));
    }

    /**
     * A valid document at {@code path} whose client_id is {@code clientId}: for a URL that names this server
     * differently (a test host name, dot segments the server does not resolve); answers {@code clientId}.
     */
    public String serveValidDocumentFor(String clientId, String path, String... redirectUris) {
        serve(path, 200, json("client_id", clientId, "client_name", "Document App", "redirect_uris", List.of(redirectUris)));
        return clientId;
    }

    /** Serves {@code body} as JSON at {@code path}; answers the URL. Extra headers as name/value pairs. */
    public String serve(String path, int status, String body, String... headers) {
        return serve(path, status, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    public String serve(String path, int status, byte[] body, String... headers) {
        answers.put(path, new Answer(status, headerMap(headers), body, Duration.ZERO));
        return url(path);
    }

    /** Sends the status line, headers and half the body at once, and the rest only after {@code hold}. */
    public String serveSlowly(String path, String body, Duration hold) {
        answers.put(path, new Answer(200, Map.of(), body.getBytes(StandardCharsets.UTF_8), hold));
        return url(path);
    }

    /** Requests for {@code path} so far. */
    public int hits(String path) {
        return hits.getOrDefault(path, new AtomicInteger()).get();
    }

    /** Requests for any path so far. */
    public int hits() {
        return total.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        total.incrementAndGet();
        hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        Answer answer = answers.getOrDefault(path, new Answer(404, Map.of(), "not found".getBytes(StandardCharsets.UTF_8), Duration.ZERO));
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        try (OutputStream out = exchange.getResponseBody()) {
            if (answer.holdBody().isZero()) {
                exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
                out.write(answer.body());
                return;
            }
            exchange.sendResponseHeaders(answer.status(), answer.body().length);
            int half = answer.body().length / 2;
            out.write(answer.body(), 0, half);
            out.flush();
            try {
                closing.await(answer.holdBody().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.write(answer.body(), half, answer.body().length - half);
        }
    }

    private static Map<String, String> headerMap(String... namesAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }

    @Override
    public void close() {
        closing.countDown();
        http.stop(0);
        executor.shutdownNow();
    }
}
