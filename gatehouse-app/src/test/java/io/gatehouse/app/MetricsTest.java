package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.McpTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 15 point 1: after a scripted mix of calls (allowed, denied, invalid and missing tokens, logins that succeed,
 * fail and are throttled, a registration, a refresh and a refresh token reused), the management listener's
 * {@code GET /metrics} shows every metric family with the values the mix produced, in the Prometheus text format;
 * the public port has no {@code /metrics}, and nothing a client sent or was given (tokens, usernames, client ids)
 * appears in the scrape. The mix runs once, in {@link #scriptedMix}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("issue-15")
class MetricsTest {

    static final String PASSWORD = "metrics-demo-password-17";
    static final String REDIRECT = "http://127.0.0.1:4390/callback";
    static final String VERIFIER = "metrics-test-verifier-0123456789-abcdefghijklmnop";
    static final String BAD_TOKEN = "not.a-valid.token-metricsTEST";
    static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)");
    static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @TempDir
    static Path dataDir;
    static RunningGatehouse gatehouse;
    static HttpResponse<String> scrape;
    static HttpResponse<String> publicMetrics;
    static Map<String, Double> samples;
    /** Everything of the mix that must never show in the scrape. */
    static final List<String> secrets = new ArrayList<>(List.of(BAD_TOKEN, PASSWORD, "alice", "bob", "guest"));

    @BeforeAll
    static void scriptedMix() throws Exception {
        gatehouse = RunningGatehouse.start("auth", "embedded", "data-dir", dataDir.toString(), "demo-password", PASSWORD,
                "management-port", "0");
        URI base = URI.create("http://localhost:" + gatehouse.gatehouse.port());
        OAuthTestDriver registrar = new OAuthTestDriver(base);
        String clientId = registrar.register(REDIRECT).path("client_id").asString();
        secrets.add(clientId);

        JsonNode alice = logIn(base, clientId, "alice");                      // login ok, authorization_code
        JsonNode bob = logIn(base, clientId, "bob");                          // login ok, authorization_code (no mcp:tools)
        JsonNode refreshed = registrar.token(OAuthTestDriver.refreshForm(alice, clientId));       // refresh_token
        assertThat(refreshed.path("access_token").asString()).as(refreshed.toString()).isNotBlank();
        for (JsonNode tokens : List.of(alice, bob, refreshed)) {
            secrets.add(tokens.path("access_token").asString());
            secrets.add(tokens.path("refresh_token").asString());
        }

        McpTestClient aliceMcp = gatehouse.client().header("Authorization", "Bearer " + refreshed.path("access_token").asString())
                .initialize();                                                // allowed; cache miss, then hit (notification)
        assertThat(aliceMcp.call("tools/call", Map.of("name", "echo", "arguments", Map.of("message", "hi"))).status())
                .isEqualTo(200);                                              // allowed; hit
        McpTestClient bobMcp = gatehouse.client().header("Authorization", "Bearer " + bob.path("access_token").asString())
                .initialize();                                                // allowed; miss, then hit
        assertThat(bobMcp.call("tools/call", Map.of("name", "echo", "arguments", Map.of("message", "hi"))).status())
                .isEqualTo(403);                                              // denied (insufficient_scope); hit
        assertThat(gatehouse.client().header("Authorization", "Bearer " + BAD_TOKEN).call("initialize", Map.of()).status())
                .isEqualTo(401);                                              // invalid (rejected); miss
        assertThat(gatehouse.client().call("initialize", Map.of()).status()).isEqualTo(401); // missing

        OAuthTestDriver guesser = new OAuthTestDriver(base);
        HttpResponse<String> page = guesser.authorize(clientId, REDIRECT, VERIFIER, "mcp:read");
        for (int i = 0; i < 5; i++) {
            page = guesser.login(page, "guest", "wrong-password");
            assertThat(page.statusCode()).isEqualTo(401);                     // login failed
        }
        assertThat(guesser.login(page, "guest", "wrong-password").statusCode()).isEqualTo(429); // login throttled

        JsonNode reused = registrar.token(OAuthTestDriver.refreshForm(alice, clientId));          // the spent refresh token again
        assertThat(reused.path("error").asString()).isEqualTo("invalid_grant");

        closeOneConnection(base);                                             // a connection's life is timed when it ends

        int managementPort = gatehouse.gatehouse.managementPort().orElseThrow();
        HttpClient http = HttpClient.newHttpClient();
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(10);
        do {
            scrape = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/metrics")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } while (!scrape.body().contains("jetty_connections_request_seconds_count") && java.time.Instant.now().isBefore(deadline));
        publicMetrics = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString());
        samples = parse(scrape.body());
    }

    /** One request on a connection of its own that the server closes after answering ({@code Connection: close}). */
    private static void closeOneConnection(URI base) throws Exception {
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (gatehouse != null) {
            gatehouse.close();
        }
    }

    @Test
    void the_management_listener_serves_the_prometheus_text_format() {
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(scrape.body()).contains("# TYPE gatehouse_auth_decisions_total counter");
    }

    @Test
    void the_public_port_has_no_metrics() {
        assertThat(publicMetrics.statusCode()).isEqualTo(404);
        assertThat(publicMetrics.body()).doesNotContain("gatehouse_");
    }

    @Test
    void mcp_requests_are_timed_by_method_and_outcome_with_a_histogram() {
        assertThat(value("gatehouse_mcp_requests_seconds_count", "method", "initialize", "outcome", "ok")).isEqualTo(2);
        assertThat(value("gatehouse_mcp_requests_seconds_count", "method", "notifications/initialized", "outcome", "accepted"))
                .isEqualTo(2);
        assertThat(value("gatehouse_mcp_requests_seconds_count", "method", "tools/call", "outcome", "ok")).isEqualTo(1);
        assertThat(value("gatehouse_mcp_requests_seconds_count", "method", "tools/call", "outcome", "forbidden")).isEqualTo(1);
        // refused before the body was read: no method is known
        assertThat(value("gatehouse_mcp_requests_seconds_count", "method", "unknown", "outcome", "unauthenticated")).isEqualTo(2);
        assertThat(labelValues("gatehouse_mcp_requests_seconds_count", "method"))
                .containsExactlyInAnyOrder("initialize", "notifications/initialized", "tools/call", "unknown");
        assertThat(value("gatehouse_mcp_requests_seconds_bucket", "method", "tools/call", "outcome", "ok", "le", "+Inf"))
                .isEqualTo(1);
        // the service-level buckets, the same for every method and outcome
        assertThat(keys("gatehouse_mcp_requests_seconds_bucket").stream().filter(k -> k.contains("method=\"tools/call\",outcome=\"ok\"")))
                .hasSize(13);
        assertThat(value("gatehouse_mcp_requests_seconds_bucket", "method", "tools/call", "outcome", "ok", "le", "30.0"))
                .isEqualTo(1);
    }

    @Test
    void authorization_decisions_are_counted_by_outcome_and_a_fixed_reason() {
        assertThat(value("gatehouse_auth_decisions_total", "outcome", "allowed", "reason", "granted")).isEqualTo(3);
        assertThat(value("gatehouse_auth_decisions_total", "outcome", "denied", "reason", "insufficient_scope")).isEqualTo(1);
        assertThat(value("gatehouse_auth_decisions_total", "outcome", "denied", "reason", "missing_role")).isZero();
        assertThat(value("gatehouse_auth_decisions_total", "outcome", "invalid", "reason", "rejected")).isEqualTo(1);
        assertThat(value("gatehouse_auth_decisions_total", "outcome", "invalid", "reason", "expired")).isZero();
        assertThat(value("gatehouse_auth_decisions_total", "outcome", "missing", "reason", "no_token")).isEqualTo(1);
        assertThat(labelValues("gatehouse_auth_decisions_total", "reason")).containsExactlyInAnyOrder("granted",
                "insufficient_scope", "missing_role", "malformed", "expired", "rejected", "no_token", "verifier_unavailable");
    }

    @Test
    void token_verification_cache_lookups_and_jwks_refreshes_are_counted() {
        // alice and bob: initialize misses, notifications/initialized and tools/call hit; the bad token misses
        assertThat(value("gatehouse_token_cache_lookups_total", "result", "hit")).isEqualTo(4);
        assertThat(value("gatehouse_token_cache_lookups_total", "result", "miss")).isEqualTo(3);
        // the embedded server's keys are in process: nothing is fetched, but the family is there for dashboards
        assertThat(value("gatehouse_jwks_refreshes_total", "outcome", "ok")).isZero();
        assertThat(value("gatehouse_jwks_refreshes_total", "outcome", "failed")).isZero();
    }

    @Test
    void authorization_server_events_are_counted() {
        assertThat(value("gatehouse_as_logins_total", "outcome", "ok")).isEqualTo(2);
        assertThat(value("gatehouse_as_logins_total", "outcome", "failed")).isEqualTo(5);
        assertThat(value("gatehouse_as_logins_total", "outcome", "throttled")).isEqualTo(1);
        assertThat(value("gatehouse_as_tokens_issued_total", "grant_type", "authorization_code")).isEqualTo(2);
        assertThat(value("gatehouse_as_tokens_issued_total", "grant_type", "refresh_token")).isEqualTo(1);
        assertThat(value("gatehouse_as_tokens_issued_total", "grant_type", "client_credentials")).isZero();
        assertThat(value("gatehouse_as_refresh_reuse_total")).isEqualTo(1);
        assertThat(value("gatehouse_as_registrations_total")).isEqualTo(1);
    }

    @Test
    void open_sessions_and_streams_are_gauges() {
        assertThat(value("gatehouse_mcp_sessions_open")).isEqualTo(2);
        assertThat(value("gatehouse_mcp_streams_open", "kind", "session")).isZero();
        assertThat(value("gatehouse_mcp_streams_open", "kind", "listen")).isZero();
    }

    @Test
    void jvm_and_jetty_metrics_are_there() {
        assertThat(keys("jvm_memory_used_bytes")).isNotEmpty();
        assertThat(keys("jvm_gc_memory_allocated_bytes_total")).isNotEmpty();
        assertThat(value("jvm_threads_live_threads")).isPositive();
        assertThat(value("jvm_classes_loaded_classes")).isPositive();
        assertThat(value("system_cpu_count")).isPositive();
        assertThat(value("jetty_threads_current")).isPositive();
        assertThat(value("jetty_threads_config_max")).isPositive();
        assertThat(value("jetty_connections_max_connections", "connector", "public")).isPositive();
        assertThat(value("jetty_connections_request_seconds_count", "connector", "public", "type", "server")).isPositive();
    }

    @Test
    void no_token_username_client_id_or_password_appears_in_the_scrape() {
        assertThat(secrets).hasSizeGreaterThan(8).allSatisfy(secret -> assertThat(secret).isNotBlank());
        for (String secret : secrets) {
            assertThat(scrape.body()).as("the scrape shows a value of the mix").doesNotContain(secret);
        }
    }

    private static JsonNode logIn(URI base, String clientId, String username) throws Exception {
        return OAuthTestDriver.logIn(base, clientId, REDIRECT, VERIFIER, username, PASSWORD);
    }

    /** The samples of an exposition, keyed by name and sorted labels: {@code name{a="1",b="2"}}. */
    static Map<String, Double> parse(String exposition) {
        Map<String, Double> parsed = new HashMap<>();
        for (String line : exposition.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            assertThat(sample.matches()).as("a sample line: %s", line).isTrue();
            Map<String, String> labels = new TreeMap<>();
            if (sample.group(3) != null) {
                Matcher label = LABEL.matcher(sample.group(3));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            parsed.put(key(sample.group(1), labels), Double.parseDouble(sample.group(4)));
        }
        return parsed;
    }

    private static String key(String name, Map<String, String> sortedLabels) {
        return name + sortedLabels.entrySet().stream().map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
                .collect(Collectors.joining(",", "{", "}"));
    }

    /** The value of the sample with exactly these labels; fails when there is none. */
    private static double value(String name, String... labelPairs) {
        Map<String, String> labels = new TreeMap<>();
        for (int i = 0; i + 1 < labelPairs.length; i += 2) {
            labels.put(labelPairs[i], labelPairs[i + 1]);
        }
        String key = key(name, labels);
        assertThat(samples.containsKey(key)).as("the scrape has %s; it has %s", key, keys(name)).isTrue();
        return samples.get(key);
    }

    private static List<String> keys(String name) {
        return samples.keySet().stream().filter(k -> k.startsWith(name + "{")).sorted().toList();
    }

    private static List<String> labelValues(String name, String label) {
        Pattern value = Pattern.compile(label + "=\"([^\"]*)\"");
        return keys(name).stream().map(value::matcher).filter(Matcher::find).map(m -> m.group(1)).distinct().toList();
    }
}
