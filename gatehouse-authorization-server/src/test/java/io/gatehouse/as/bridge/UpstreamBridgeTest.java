package io.gatehouse.as.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gatehouse.as.web.AsRequest;
import io.gatehouse.as.web.AsResponse;
import io.gatehouse.testkit.ConnectionCounter;
import io.gatehouse.testkit.MutableClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The bridge's own answers; the relay to a real Keycloak is in the app's KeycloakTest. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class UpstreamBridgeTest {

    static AsRequest request(String method, String path, String body) {
        return new AsRequest(method, path, Map.of(), Map.of(), Map.of(), Map.of(), body.getBytes(StandardCharsets.UTF_8), "127.0.0.1");
    }

    static UpstreamBridge bridgeTo(URI issuer) {
        return new UpstreamBridge(issuer, URI.create("http://localhost:9000"), Duration.ofMinutes(5), Clock.systemUTC());
    }

    @Test
    void it_owns_only_the_metadata_and_registration_paths_and_answers_them_cross_origin() {
        UpstreamBridge bridge = bridgeTo(URI.create("http://127.0.0.1:1/realms/x"));
        for (String path : new String[] {"/.well-known/oauth-authorization-server", "/.well-known/openid-configuration", "/oauth/register"}) {
            assertThat(bridge.owns(path)).as(path).isTrue();
            assertThat(bridge.isCrossOrigin(path)).as(path).isTrue();
        }
        assertThat(bridge.owns("/oauth/token")).isFalse();
        assertThat(bridge.owns("/oauth/authorize")).isFalse();
        assertThat(bridge.handle(request("POST", "/oauth/token", ""))).isEmpty();
    }

    @Test
    void a_wrong_method_is_405_with_allow() {
        AsResponse answer = bridgeTo(URI.create("http://127.0.0.1:1/realms/x")).handle(request("GET", "/oauth/register", "")).orElseThrow();
        assertThat(answer.status()).isEqualTo(405);
        assertThat(answer.headers()).containsEntry("Allow", "POST");
    }

    @Test
    void an_unreachable_upstream_is_502_temporarily_unavailable_not_a_client_error() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        UpstreamBridge bridge = bridgeTo(URI.create("http://127.0.0.1:" + closed + "/realms/x"));
        for (AsRequest request : new AsRequest[] {request("GET", "/.well-known/oauth-authorization-server", ""),
                request("POST", "/oauth/register", "{\"redirect_uris\":[\"http://127.0.0.1/cb\"]}")}) {
            AsResponse answer = bridge.handle(request).orElseThrow();
            assertThat(answer.status()).isEqualTo(502);
            assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("temporarily_unavailable").doesNotContain(String.valueOf(closed));
        }
    }

    // ------------------------------------------------------------------ SEC19-4: a hostile upstream

    static final Duration DEADLINE = Duration.ofSeconds(1);
    /** How long a test waits for an answer: far past the deadline, so only a hang fails it. */
    static final Duration BOUND = Duration.ofSeconds(15);
    static final String REGISTRATION = "{\"redirect_uris\":[\"http://127.0.0.1/cb\"]}";

    enum Behaviour { NORMAL, ENDLESS, DRIPPING }

    final AtomicReference<Behaviour> metadataBehaviour = new AtomicReference<>(Behaviour.NORMAL);
    final AtomicReference<Behaviour> registrationBehaviour = new AtomicReference<>(Behaviour.NORMAL);
    final CountDownLatch hostileAnswerEnded = new CountDownLatch(1);
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    HttpServer upstream;

    @AfterEach
    void stopUpstream() {
        if (upstream != null) {
            upstream.stop(0);
        }
    }

    /** A provider on 127.0.0.1 at {@code /realms/x}, answering as {@link #metadataBehaviour} and {@link #registrationBehaviour} say. */
    URI startUpstream() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        URI issuer = URI.create("http://127.0.0.1:" + upstream.getAddress().getPort() + "/realms/x");
        upstream.createContext("/realms/x/.well-known/openid-configuration", exchange -> answer(exchange, metadataBehaviour.get(),
                "{\"issuer\":\"" + issuer + "\",\"registration_endpoint\":\"" + issuer + "/register\",\"scopes_supported\":[\"mcp:read\"]}"));
        upstream.createContext("/realms/x/register", exchange -> answer(exchange, registrationBehaviour.get(),
                "{\"client_id\":\"relayed\",\"redirect_uris\":[\"http://127.0.0.1/cb\"]}"));
        upstream.start();
        return issuer;
    }

    void answer(HttpExchange exchange, Behaviour behaviour, String json) throws IOException {
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        try (exchange; OutputStream out = exchange.getResponseBody()) {
            switch (behaviour) {
                case NORMAL -> {
                    byte[] body = json.getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(exchange.getRequestMethod().equals("POST") ? 201 : 200, body.length);
                    out.write(body);
                }
                case ENDLESS -> {
                    // a gigabyte and more, as fast as the bridge reads it: it must stop reading and hang up
                    exchange.sendResponseHeaders(200, 0);
                    byte[] chunk = ("[" + " ".repeat(64 * 1024)).getBytes(StandardCharsets.UTF_8);
                    for (long sent = 0; sent < 4L * 1024 * 1024 * 1024; sent += chunk.length) {
                        out.write(chunk);
                    }
                }
                case DRIPPING -> {
                    // one byte every 100 ms, for far longer than the deadline
                    exchange.sendResponseHeaders(200, 0);
                    for (int i = 0; i < 600; i++) {
                        out.write(' ');
                        out.flush();
                        Thread.sleep(100);
                    }
                }
            }
        } catch (IOException | InterruptedException hungUp) {
            // the bridge closed the connection
        } finally {
            if (behaviour != Behaviour.NORMAL) {
                hostileAnswerEnded.countDown();
            }
        }
    }

    UpstreamBridge bridgeWithDeadline(URI issuer) {
        return new UpstreamBridge(issuer, URI.create("http://localhost:9000"), Duration.ofMinutes(5), clock, DEADLINE);
    }

    static AsResponse answeredWithinBound(UpstreamBridge bridge, AsRequest request) throws Exception {
        try (ExecutorService caller = Executors.newVirtualThreadPerTaskExecutor()) {
            return caller.submit(() -> bridge.handle(request).orElseThrow()).get(BOUND.toSeconds(), TimeUnit.SECONDS);
        }
    }

    static AsRequest metadataRequest() {
        return request("GET", "/.well-known/oauth-authorization-server", "");
    }

    static void assertUnavailable(AsResponse answer) {
        assertThat(answer.status()).isEqualTo(502);
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("temporarily_unavailable");
    }

    @Test
    @Tag("attack")
    @Tag("SEC19-4")
    void an_endless_registration_answer_is_502_and_the_bridge_hangs_up_and_keeps_serving() throws Exception {
        UpstreamBridge bridge = bridgeWithDeadline(startUpstream());
        registrationBehaviour.set(Behaviour.ENDLESS);

        assertUnavailable(answeredWithinBound(bridge, request("POST", "/oauth/register", REGISTRATION)));

        assertThat(hostileAnswerEnded.await(BOUND.toSeconds(), TimeUnit.SECONDS)).as("the bridge closed the endless answer").isTrue();
        assertThat(answeredWithinBound(bridge, metadataRequest()).status()).isEqualTo(200);
        registrationBehaviour.set(Behaviour.NORMAL);
        assertThat(answeredWithinBound(bridge, request("POST", "/oauth/register", REGISTRATION)).status()).isEqualTo(201);
    }

    @Test
    @Tag("attack")
    @Tag("SEC19-4")
    void an_endless_metadata_answer_is_502_and_the_bridge_serves_again_once_the_upstream_recovers() throws Exception {
        UpstreamBridge bridge = bridgeWithDeadline(startUpstream());
        metadataBehaviour.set(Behaviour.ENDLESS);

        assertUnavailable(answeredWithinBound(bridge, metadataRequest()));
        assertUnavailable(answeredWithinBound(bridge, request("POST", "/oauth/register", REGISTRATION)));

        assertThat(hostileAnswerEnded.await(BOUND.toSeconds(), TimeUnit.SECONDS)).as("the bridge closed the endless answer").isTrue();
        metadataBehaviour.set(Behaviour.NORMAL);
        clock.advance(UpstreamBridge.FAILURE_MEMORY.plusSeconds(1));
        assertThat(answeredWithinBound(bridge, metadataRequest()).status()).isEqualTo(200);
    }

    @Test
    @Tag("attack")
    @Tag("SEC19-4")
    void a_dripping_registration_answer_is_502_within_the_deadline() throws Exception {
        UpstreamBridge bridge = bridgeWithDeadline(startUpstream());
        registrationBehaviour.set(Behaviour.DRIPPING);

        assertUnavailable(answeredWithinBound(bridge, request("POST", "/oauth/register", REGISTRATION)));
        assertThat(hostileAnswerEnded.await(BOUND.toSeconds(), TimeUnit.SECONDS)).as("the bridge closed the dripping answer").isTrue();
    }

    @Test
    @Tag("attack")
    @Tag("SEC19-4")
    void a_dripping_metadata_answer_is_502_within_the_deadline() throws Exception {
        UpstreamBridge bridge = bridgeWithDeadline(startUpstream());
        metadataBehaviour.set(Behaviour.DRIPPING);

        assertUnavailable(answeredWithinBound(bridge, metadataRequest()));
        assertThat(hostileAnswerEnded.await(BOUND.toSeconds(), TimeUnit.SECONDS)).as("the bridge closed the dripping answer").isTrue();
    }

    @Test
    @Tag("attack")
    @Tag("SEC19-4")
    void while_the_upstream_is_down_repeated_metadata_requests_do_not_each_reach_it() throws Exception {
        try (ConnectionCounter down = ConnectionCounter.start()) {
            URI issuer = URI.create("http://127.0.0.1:" + down.port() + "/realms/x");
            assertUnavailable(answeredWithinBound(bridgeWithDeadline(issuer), metadataRequest()));
            // the JDK client may itself retry a GET once on a connection closed before any byte
            int oneFetch = down.accepted();
            assertThat(oneFetch).isBetween(1, 2);

            UpstreamBridge bridge = bridgeWithDeadline(issuer);

            List<Future<AsResponse>> answers = new ArrayList<>();
            try (ExecutorService callers = Executors.newFixedThreadPool(8)) {
                for (int i = 0; i < 40; i++) {
                    AsRequest request = i % 2 == 0 ? metadataRequest() : request("GET", "/.well-known/openid-configuration", "");
                    answers.add(callers.submit(() -> bridge.handle(request).orElseThrow()));
                }
                for (Future<AsResponse> answer : answers) {
                    assertUnavailable(answer.get(BOUND.toSeconds(), TimeUnit.SECONDS));
                }
            }
            assertThat(down.accepted()).as("one fetch for 40 concurrent requests").isEqualTo(2 * oneFetch);

            clock.advance(UpstreamBridge.FAILURE_MEMORY.plusSeconds(1));
            assertUnavailable(answeredWithinBound(bridge, metadataRequest()));
            assertThat(down.accepted()).as("tried again once the failure is forgotten").isEqualTo(3 * oneFetch);
        }
    }

    // ------------------------------------------------------------------ the shared registration limit counts relayed requests only

    static AsRequest registrationFrom(String caller, String body) {
        return new AsRequest("POST", "/oauth/register", Map.of(), Map.of(), Map.of(), Map.of(), body.getBytes(StandardCharsets.UTF_8), caller);
    }

    @Test
    @Tag("attack")
    @Tag("SEC19-4")
    void invalid_bodies_from_many_callers_do_not_close_registration_for_a_valid_one() throws Exception {
        UpstreamBridge bridge = bridgeWithDeadline(startUpstream());
        int callers = UpstreamBridge.REGISTRATIONS_TOTAL / UpstreamBridge.REGISTRATIONS_PER_CALLER + 5;
        for (int c = 0; c < callers; c++) {
            for (int i = 0; i < UpstreamBridge.REGISTRATIONS_PER_CALLER; i++) {
                String junk = i % 2 == 0 ? "not json" : "{\"redirect_uris\":[\"javascript:alert(1)\"]}";
                assertThat(bridge.handle(registrationFrom("198.51.100." + c, junk)).orElseThrow().status()).isEqualTo(400);
            }
        }

        assertThat(answeredWithinBound(bridge, registrationFrom("203.0.113.1", REGISTRATION)).status()).isEqualTo(201);
    }

    @Test
    @Tag("attack")
    @Tag("SEC19-4")
    void one_caller_sending_junk_is_still_limited_by_its_own_count() throws Exception {
        UpstreamBridge bridge = bridgeWithDeadline(startUpstream());
        for (int i = 0; i < UpstreamBridge.REGISTRATIONS_PER_CALLER; i++) {
            assertThat(bridge.handle(registrationFrom("198.51.100.1", "not json")).orElseThrow().status()).isEqualTo(400);
        }

        AsResponse limited = bridge.handle(registrationFrom("198.51.100.1", REGISTRATION)).orElseThrow();
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.headers()).containsKey("Retry-After");
        assertThat(answeredWithinBound(bridge, registrationFrom("203.0.113.1", REGISTRATION)).status()).as("another caller").isEqualTo(201);
    }

    @Test
    void relayed_registrations_from_everyone_together_are_still_limited() throws Exception {
        UpstreamBridge bridge = bridgeWithDeadline(startUpstream());
        for (int i = 0; i < UpstreamBridge.REGISTRATIONS_TOTAL; i++) {
            String caller = "198.51.100." + (i / UpstreamBridge.REGISTRATIONS_PER_CALLER);
            assertThat(answeredWithinBound(bridge, registrationFrom(caller, REGISTRATION)).status()).isEqualTo(201);
        }

        AsResponse limited = bridge.handle(registrationFrom("203.0.113.1", REGISTRATION)).orElseThrow();
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.headers()).containsKey("Retry-After");
        clock.advance(UpstreamBridge.REGISTRATION_WINDOW);
        assertThat(answeredWithinBound(bridge, registrationFrom("203.0.113.1", REGISTRATION)).status()).as("a window later").isEqualTo(201);
    }
}
