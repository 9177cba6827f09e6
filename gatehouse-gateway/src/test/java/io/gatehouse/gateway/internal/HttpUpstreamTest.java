package io.gatehouse.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gatehouse.gateway.UpstreamConfig;
import io.gatehouse.gateway.UpstreamCredentials;
import io.gatehouse.gateway.UpstreamException;
import io.gatehouse.gateway.UpstreamHealth;
import io.gatehouse.gateway.UpstreamSession;
import io.gatehouse.mcp.internal.json.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The Streamable HTTP client against a recording upstream on 127.0.0.1: headers, session, timeouts, down. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("gateway")
class HttpUpstreamTest {

    /** One request the recording upstream received. */
    record Seen(String method, Map<String, List<String>> headers, String body) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/mcp", this::answer);
        server.createContext("/token", this::token);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        seen.add(new Seen(exchange.getRequestMethod(), Map.copyOf(exchange.getRequestHeaders()), body));
        String lastEventId = exchange.getRequestHeaders().getFirst("Last-Event-ID");
        if (exchange.getRequestMethod().equals("GET") && "ev-1".equals(lastEventId) && resumable != null) {
            sse(exchange, "id: ev-2\ndata: {\"jsonrpc\":\"2.0\",\"id\":" + resumable
                    + ",\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"resumed\"}]}}\n\n");
            return;
        }
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.sendResponseHeaders(exchange.getRequestMethod().equals("GET") ? 405 : 200, -1);
            exchange.close();
            return;
        }
        JsonNode message = Json.MAPPER.readTree(body);
        String method = message.path("method").asString("");
        if (!message.has("id")) {
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
            return;
        }
        if (method.equals("tools/call") && message.path("params").path("name").asString().equals("resumable")) {
            // a priming event with an id, a progress notification, then the stream closes before the response
            resumable = message.get("id");
            sse(exchange, "id: ev-0\ndata:\n\nid: ev-1\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\","
                    + "\"params\":{\"progressToken\":\"p\",\"progress\":1}}\n\n");
            return;
        }
        if (method.equals("tools/call") && message.path("params").path("name").asString().equals("hang")) {
            try {
                Thread.sleep(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        String result = method.equals("initialize")
                ? "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"recorder\",\"version\":\"1\"}}"
                : "{\"content\":[{\"type\":\"text\",\"text\":\"ok\"}]}";
        byte[] out = ("{\"jsonrpc\":\"2.0\",\"id\":" + message.get("id") + ",\"result\":" + result + "}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("Mcp-Session-Id", "upstream-session-1");
        exchange.getResponseHeaders().add("Set-Cookie", "tracker=upstream-cookie");
        exchange.sendResponseHeaders(200, out.length);
        exchange.getResponseBody().write(out);
        exchange.close();
    }

    private final List<Seen> tokenRequests = new CopyOnWriteArrayList<>();

    private void token(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        tokenRequests.add(new Seen(exchange.getRequestMethod(), Map.copyOf(exchange.getRequestHeaders()), body));
        byte[] out = ("{\"access_token\":\"cc-token-" + tokenRequests.size()
                + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, out.length);
        exchange.getResponseBody().write(out);
        exchange.close();
    }

    private volatile JsonNode resumable;

    private static void sse(HttpExchange exchange, String events) throws IOException {
        byte[] out = events.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, out.length);
        exchange.getResponseBody().write(out);
        exchange.close();
    }

    private UpstreamConfig recorder() {
        return UpstreamConfig.http("recorder", URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mcp"));
    }

    private static UpstreamException failure(java.util.concurrent.CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
        assertThat(e.getCause()).isInstanceOf(UpstreamException.class);
        return (UpstreamException) e.getCause();
    }

    @Test
    @Tag("attack")
    @Tag("T-13")
    void only_gatehouses_own_credentials_and_the_protocol_headers_are_sent_and_the_session_is_deleted_on_close()
            throws Exception {
        UpstreamConfig config = recorder().withHeaders(Map.of("X-Tenant", "acme")).withCredentials(
                new UpstreamCredentials.StaticHeader("Authorization", new UpstreamCredentials.FromEnv("RECORDER_TOKEN"), "Bearer "));
        try (HttpUpstream upstream = new HttpUpstream(config, Map.of("RECORDER_TOKEN", "gatehouse-own-token"), Clock.systemUTC())) {
            UpstreamSession session = upstream.openSession(Json.object(), null);
            JsonNode result = session.request("tools/call", Json.object().put("name", "echo")).result().get(30, TimeUnit.SECONDS);
            assertThat(result.path("content").path(0).path("text").asString()).isEqualTo("ok");
            session.close();
            waitFor(() -> seen.stream().anyMatch(s -> s.method().equals("DELETE")));
        }

        assertThat(seen).allSatisfy(request -> {
            assertThat(header(request, "Authorization")).containsExactly("Bearer gatehouse-own-token");
            assertThat(header(request, "X-Tenant")).containsExactly("acme");
            assertThat(header(request, "Cookie")).isEmpty();
        });
        List<Seen> afterInitialize = seen.stream().filter(s -> !s.body().contains("\"initialize\"")).toList();
        assertThat(afterInitialize).isNotEmpty().allSatisfy(request -> {
            assertThat(header(request, "Mcp-Session-Id")).containsExactly("upstream-session-1");
            assertThat(header(request, "MCP-Protocol-Version")).containsExactly("2025-11-25");
        });
        assertThat(seen).extracting(Seen::body).anyMatch(b -> b.contains("notifications/initialized"));
    }

    @Test
    void a_request_the_upstream_never_answers_times_out_and_is_cancelled_upstream() throws Exception {
        try (HttpUpstream upstream = new HttpUpstream(recorder().withTimeout(Duration.ofMillis(1500)), Map.of(), Clock.systemUTC());
             UpstreamSession session = upstream.openSession(Json.object(), null)) {
            session.initialize().get(30, TimeUnit.SECONDS);

            UpstreamException e = failure(session.request("tools/call", Json.object().put("name", "hang")).result());

            assertThat(e.kind()).isEqualTo(UpstreamException.Kind.TIMEOUT);
            assertThat(e.getMessage()).contains("upstream 'recorder'").contains("1500 ms");
            waitFor(() -> seen.stream().anyMatch(s -> s.body().contains("notifications/cancelled")));
        }
    }

    @Test
    void an_upstream_that_is_down_fails_fast_and_health_says_why() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        UpstreamConfig config = UpstreamConfig.http("gone", URI.create("http://127.0.0.1:" + closedPort + "/mcp"));
        try (HttpUpstream upstream = new HttpUpstream(config, Map.of(), Clock.systemUTC());
             UpstreamSession session = upstream.openSession(Json.object(), null)) {
            UpstreamException e = failure(session.request("tools/list", Json.object()).result());

            assertThat(e.kind()).isEqualTo(UpstreamException.Kind.UNAVAILABLE);
            assertThat(e.getMessage()).startsWith("upstream 'gone' is unavailable: cannot connect to http://127.0.0.1:");
            UpstreamHealth health = upstream.health();
            assertThat(health.state()).isEqualTo(UpstreamHealth.State.DOWN);
            assertThat(health.lastError()).hasValue(e.getMessage());
        }
    }

    @Test
    void a_missing_credential_fails_the_request_without_revealing_anything() {
        UpstreamConfig config = recorder().withCredentials(
                new UpstreamCredentials.StaticHeader("Authorization", new UpstreamCredentials.FromEnv("NOT_SET_ANYWHERE"), "Bearer "));
        try (HttpUpstream upstream = new HttpUpstream(config, Map.of(), Clock.systemUTC());
             UpstreamSession session = upstream.openSession(Json.object(), null)) {
            UpstreamException e = failure(session.initialize());

            assertThat(e.getMessage()).contains("environment variable NOT_SET_ANYWHERE is not set");
            assertThat(seen).isEmpty();
        }
    }

    private static List<String> header(Seen request, String name) {
        return request.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream()).toList();
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 300 && !condition.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }

    @Test
    @Tag("attack")
    void a_client_credentials_token_is_obtained_once_and_sent_as_gatehouses_own_bearer_token() throws Exception {
        URI tokenEndpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
        UpstreamConfig config = recorder().withCredentials(new UpstreamCredentials.ClientCredentials(tokenEndpoint,
                "gatehouse-gw", new UpstreamCredentials.FromEnv("GW_SECRET"), "upstream:call",
                java.util.Optional.of(recorder().url().orElseThrow())));
        try (HttpUpstream upstream = new HttpUpstream(config, Map.of("GW_SECRET", "s3cret"), Clock.systemUTC());
             UpstreamSession session = upstream.openSession(Json.object(), null)) {
            session.request("tools/call", Json.object().put("name", "echo")).result().get(30, TimeUnit.SECONDS);
            session.request("tools/call", Json.object().put("name", "echo")).result().get(30, TimeUnit.SECONDS);
        }

        assertThat(tokenRequests).singleElement().satisfies(request -> {
            assertThat(request.body()).contains("grant_type=client_credentials").contains("scope=upstream%3Acall")
                    .contains("resource=http%3A%2F%2F127.0.0.1");
            assertThat(header(request, "Authorization")).containsExactly("Basic "
                    + java.util.Base64.getEncoder().encodeToString("gatehouse-gw:s3cret".getBytes(StandardCharsets.UTF_8)));
        });
        assertThat(seen).filteredOn(s -> s.method().equals("POST"))
                .allSatisfy(request -> assertThat(header(request, "Authorization")).containsExactly("Bearer cc-token-1"));
    }

    @Test
    @Tag("T-11")
    void a_response_stream_closed_before_the_response_is_resumed_with_last_event_id() throws Exception {
        List<String> related = new CopyOnWriteArrayList<>();
        io.gatehouse.gateway.UpstreamListener listener = new io.gatehouse.gateway.UpstreamListener() {
            @Override
            public void onNotification(String method, tools.jackson.databind.node.ObjectNode params) {
                related.add(method);
            }
        };
        try (HttpUpstream upstream = new HttpUpstream(recorder(), Map.of(), Clock.systemUTC());
             UpstreamSession session = upstream.openSession(Json.object(), null)) {
            tools.jackson.databind.node.ObjectNode params = Json.object().put("name", "resumable");
            params.putObject("_meta").put("progressToken", "p");

            JsonNode result = session.request("tools/call", params, listener).result().get(30, TimeUnit.SECONDS);

            assertThat(result.path("content").path(0).path("text").asString()).isEqualTo("resumed");
            assertThat(related).containsExactly("notifications/progress");
        }
        assertThat(seen).filteredOn(s -> s.method().equals("GET") && !header(s, "Last-Event-ID").isEmpty())
                .singleElement().satisfies(s -> assertThat(header(s, "Last-Event-ID")).containsExactly("ev-1"));
    }

    /** Exchanges by name: the caller's subject and the downstream in the token, so the test can tell whose it is. */
    private static final io.gatehouse.mcp.context.DownstreamTokens EXCHANGER = (caller, downstream) -> {
        if (caller.subjectToken().isEmpty()) {
            throw new io.gatehouse.mcp.context.DownstreamTokenException("no user token");
        }
        return new io.gatehouse.mcp.context.DownstreamToken("exchanged-" + downstream + "-for-" + caller.subject(), downstream,
                java.time.Instant.now().plusSeconds(300));
    };

    private static io.gatehouse.mcp.context.Caller caller(String subject) {
        return new io.gatehouse.mcp.context.Caller("https://issuer", subject, subject, "client", java.util.Set.of(),
                java.util.Set.of(), java.time.Instant.MAX).withSubjectToken(io.gatehouse.mcp.context.SubjectToken.of("mcp-token-of-" + subject));
    }

    @Test
    @Tag("attack")
    @Tag("issue-17")
    @Tag("RS-14")
    void with_token_exchange_every_request_carries_the_current_callers_exchanged_token_and_never_the_mcp_token()
            throws Exception {
        UpstreamConfig config = recorder().withCredentials(new UpstreamCredentials.TokenExchange("reports"));
        java.util.concurrent.atomic.AtomicReference<io.gatehouse.mcp.context.Caller> current =
                new java.util.concurrent.atomic.AtomicReference<>(caller("alice"));
        try (HttpUpstream upstream = new HttpUpstream(config, Map.of(), Clock.systemUTC(), EXCHANGER);
             UpstreamSession session = upstream.openSession(Json.object(), null, current::get)) {
            session.request("tools/call", Json.object().put("name", "echo")).result().get(30, TimeUnit.SECONDS);
            current.set(caller("alice-refreshed"));
            session.request("tools/call", Json.object().put("name", "echo")).result().get(30, TimeUnit.SECONDS);
        }
        List<Seen> posts = seen.stream().filter(s -> s.method().equals("POST")).toList();
        assertThat(posts).isNotEmpty();
        assertThat(posts.getFirst().headers().get("Authorization")).containsExactly("Bearer exchanged-reports-for-alice");
        assertThat(posts.getLast().headers().get("Authorization")).containsExactly("Bearer exchanged-reports-for-alice-refreshed");
        assertThat(seen).allSatisfy(s -> assertThat(s.headers().toString() + s.body()).doesNotContain("mcp-token-of-"));
    }

    @Test
    @Tag("issue-17")
    void when_no_token_can_be_exchanged_the_request_fails_at_once_nothing_is_sent_and_the_upstream_stays_healthy() throws Exception {
        UpstreamConfig config = recorder().withCredentials(new UpstreamCredentials.TokenExchange("reports"));
        try (HttpUpstream upstream = new HttpUpstream(config, Map.of(), Clock.systemUTC(), EXCHANGER);
             UpstreamSession session = upstream.openSession(Json.object(), null, io.gatehouse.mcp.context.Caller::anonymous)) {
            UpstreamException e = failure(session.request("tools/list", Json.object()).result());
            assertThat(e.getMessage()).contains("recorder", "no token for the caller", "no user token");
            assertThat(upstream.health().state()).as("one caller's failure does not make the upstream down")
                    .isNotEqualTo(UpstreamHealth.State.DOWN);
            assertThat(upstream.health().consecutiveFailures()).isZero();
        }
        assertThat(seen).isEmpty();
    }
}
