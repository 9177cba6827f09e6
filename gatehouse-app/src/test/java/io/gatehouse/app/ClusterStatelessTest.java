package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.ExternalProcess;
import io.gatehouse.testkit.McpReply;
import io.gatehouse.testkit.McpTestClient;
import io.gatehouse.testkit.NodeTools;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 14, "done when", stateless mode: two Gatehouse processes on one PostgreSQL behind HAProxy round-robin (the
 * {@code deploy/haproxy.cfg} itself), no stickiness. The TypeScript SDK's whole embedded-AS flow through HAProxy;
 * the same code or refresh token raced on both nodes; a key rotated in the database; a node stopped (SIGTERM) and a
 * node killed (SIGKILL) under load. The kill comes last: the class shares one cluster.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("issue-14")
class ClusterStatelessTest {

    static final String REDIRECT = "http://127.0.0.1:4399/callback";
    static final int RACES = 50;
    static final int CONCURRENCY = 8;
    static GatehouseCluster cluster;
    static OAuthTestDriver browser;
    static String clientId;

    @BeforeAll
    static void start() throws Exception {
        cluster = GatehouseCluster.start("stateless");
        // a registered client and a user logged in on node 1 (its browser session): codes then cost one request each
        browser = new OAuthTestDriver(URI.create("http://127.0.0.1:" + cluster.node(1).port));
        clientId = browser.register(REDIRECT).path("client_id").asString();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    @Tag("AS-01")
    @Tag("T-12")
    void the_typescript_sdk_completes_the_embedded_flow_through_round_robin_and_the_refreshed_token_works_on_both_nodes()
            throws Exception {
        Path scripts = NodeTools.install("sdk", List.of("@modelcontextprotocol/sdk@1.32.2"));
        for (String script : List.of("browser-login.mjs", "sdk-login.mjs", "sdk-cluster-flow.mjs")) {
            Files.copy(Path.of("src/test/node", script), scripts.resolve(script), StandardCopyOption.REPLACE_EXISTING);
        }
        long[] before = requestCounts();
        ExternalProcess.Outcome outcome = ExternalProcess.run(List.of(NodeTools.node22().toString(),
                scripts.resolve("sdk-cluster-flow.mjs").toString(), cluster.mcpUrl().toString(), "alice", GatehouseCluster.PASSWORD),
                scripts, Map.of(), Duration.ofMinutes(2));
        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        String[] lines = outcome.output().strip().split("\n");
        JsonNode seen = JsonMapper.builder().build().readTree(lines[lines.length - 1]);
        assertThat(seen.path("requests").toString()).contains("POST /mcp -> 401",
                "GET /.well-known/oauth-protected-resource/mcp -> 200", "GET /.well-known/oauth-authorization-server -> 200",
                "POST /oauth/register -> 201", "POST /oauth/token -> 200");
        assertThat(seen.path("echoes").toString()).contains("call 0", "call 3");
        long[] after = requestCounts();
        assertThat(after[0]).as("node 1 served some of the MCP requests").isGreaterThan(before[0]);
        assertThat(after[1]).as("node 2 served some of the MCP requests").isGreaterThan(before[1]);

        // consecutive requests alternate: six calls through HAProxy, three on each node
        McpTestClient client = McpTestClient.to(cluster.mcpUrl()).header("Authorization", "Bearer " + seen.path("accessToken").asString());
        long[] start = requestCounts();
        for (int i = 0; i < 6; i++) {
            assertThat(echo(client).status()).isEqualTo(200);
        }
        long[] end = requestCounts();
        assertThat(new long[] {end[0] - start[0], end[1] - start[1]}).containsExactly(3, 3);

        // the refresh token (issued through HAProxy) is refreshed, and the new access token works on each node directly
        JsonNode refreshed = new OAuthTestDriver(cluster.baseUrl()).token(Map.of("grant_type", "refresh_token",
                "refresh_token", seen.path("refreshToken").asString(), "client_id", seen.path("clientId").asString()));
        assertThat(refreshed.path("access_token").asString()).as(refreshed.toString()).isNotBlank();
        for (int node = 1; node <= 2; node++) {
            McpReply reply = echo(cluster.node(node).direct().header("Authorization", "Bearer " + refreshed.path("access_token").asString()));
            assertThat(reply.status()).as("node " + node + ": " + reply.body()).isEqualTo(200);
        }
    }

    @Test
    @Order(2)
    @Tag("AS-01")
    @Tag("attack")
    void the_same_authorization_code_sent_to_both_nodes_at_once_yields_exactly_one_token() throws Exception {
        for (int i = 0; i < RACES; i++) {
            String verifier = verifier(i);
            String code = code(verifier);
            Map<String, String> form = Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT,
                    "client_id", clientId, "code_verifier", verifier);
            List<JsonNode> answers = race(form);
            assertThat(answers.stream().filter(a -> a.has("access_token")).count()).as("race %d: %s", i, answers).isEqualTo(1);
            assertThat(answers.stream().filter(a -> a.path("error").asString().equals("invalid_grant")).count()).as(answers.toString()).isEqualTo(1);
        }
    }

    @Test
    @Order(3)
    @Tag("AS-12")
    @Tag("attack")
    void the_same_refresh_token_sent_to_both_nodes_at_once_succeeds_at_most_once_and_revokes_the_family() throws Exception {
        int wins = 0;
        for (int i = 0; i < RACES; i++) {
            String verifier = verifier(100 + i);
            JsonNode tokens = browser.token(Map.of("grant_type", "authorization_code", "code", code(verifier), "redirect_uri", REDIRECT,
                    "client_id", clientId, "code_verifier", verifier));
            Map<String, String> refresh = Map.of("grant_type", "refresh_token", "refresh_token", tokens.path("refresh_token").asString(),
                    "client_id", clientId);
            List<JsonNode> answers = race(refresh);
            List<JsonNode> won = answers.stream().filter(a -> a.has("access_token")).toList();
            assertThat(won).as("race %d: %s", i, answers).hasSizeLessThanOrEqualTo(1);
            for (JsonNode winner : won) {
                wins++;
                // the reuse revoked the family: the winner's new refresh token is dead too
                JsonNode after = browser.token(Map.of("grant_type", "refresh_token", "refresh_token", winner.path("refresh_token").asString(),
                        "client_id", clientId));
                assertThat(after.path("error").asString()).as("race %d: %s", i, after).isEqualTo("invalid_grant");
            }
            JsonNode again = browser.token(refresh);
            assertThat(again.path("error").asString()).as(again.toString()).isEqualTo("invalid_grant");
        }
        System.out.println("refresh races won by one node: " + wins + " of " + RACES);
    }

    @Test
    @Order(4)
    void a_key_rotated_in_the_database_signs_tokens_the_other_node_accepts_and_old_tokens_keep_working() throws Exception {
        String old = accessToken();
        GatehouseCluster.Outcome rotated = cluster.gatehouse("keys", "rotate");
        assertThat(rotated.exitCode()).as(rotated.errors()).isZero();
        // the new kid is the last line of the output (log lines of the database set-up may come before it)
        String newKid = rotated.output().strip().lines().reduce((first, second) -> second).orElseThrow().strip();
        assertThat(newKid).as(rotated.output()).matches("[A-Za-z0-9_-]{20,}");
        // node 1 picks the new key up (within ~10 s); then the tokens it issues carry the new kid
        String[] fresh = new String[1];
        GatehouseCluster.await("node 1 signs with the rotated key", () -> {
            try {
                fresh[0] = accessToken();
                return kid(fresh[0]).equals(newKid);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        for (int node = 1; node <= 2; node++) {
            assertThat(echo(cluster.node(node).direct().header("Authorization", "Bearer " + fresh[0])).status()).as("new, node " + node).isEqualTo(200);
            assertThat(echo(cluster.node(node).direct().header("Authorization", "Bearer " + old)).status()).as("old, node " + node).isEqualTo(200);
        }
    }

    @Test
    @Order(5)
    @Tag("T-12")
    void a_node_stopped_with_sigterm_under_load_loses_no_request() throws Exception {
        String token = accessToken();
        Load load = Load.start(token);
        load.awaitSuccesses(CONCURRENCY * 10);
        // 143: the JVM's exit status after SIGTERM, once the shutdown hook (the drain) has run
        assertThat(cluster.node(2).terminate()).as(cluster.node(2).log()).isEqualTo(143);
        load.awaitSuccesses(load.successes() + CONCURRENCY * 20);
        load.stop();

        assertThat(load.failures()).as(load.failureReasons() + "\n" + cluster.haproxyOutput()).isEmpty();
        assertThat(cluster.node(2).log()).contains("Draining", "Gatehouse stopped");
        cluster.node(2).start();
        cluster.node(2).awaitReady();
        cluster.awaitBothBehindTheBalancer();
    }

    @Test
    @Order(6)
    @Tag("T-12")
    void a_node_killed_under_load_costs_at_most_its_requests_in_flight_then_the_other_node_serves_everything() throws Exception {
        String token = accessToken();
        Load load = Load.start(token);
        load.awaitSuccesses(CONCURRENCY * 10);
        cluster.node(1).kill();
        int atKill = load.successes();
        load.awaitSuccesses(atKill + CONCURRENCY * 20);
        load.stop();

        assertThat(load.failures().size()).as(load.failureReasons()).isLessThanOrEqualTo(CONCURRENCY);
        // one request in flight per client: each client failed at most once, and everything after that succeeded
        assertThat(load.failuresPerClient()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(1));
        assertThat(load.successesAfterLastFailure()).allSatisfy(n -> assertThat(n).isPositive());
    }

    /** {@link #CONCURRENCY} clients calling echo through HAProxy in a loop, each one request at a time. */
    private static final class Load {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger successes = new AtomicInteger();
        private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        private final int[] perClientFailures = new int[CONCURRENCY];
        private final int[] sinceLastFailure = new int[CONCURRENCY];
        private final ExecutorService threads = Executors.newFixedThreadPool(CONCURRENCY);

        static Load start(String token) {
            Load load = new Load();
            for (int c = 0; c < CONCURRENCY; c++) {
                int client = c;
                load.threads.submit(() -> {
                    McpTestClient mcp = McpTestClient.to(cluster.mcpUrl()).header("Authorization", "Bearer " + token);
                    while (load.running.get()) {
                        String failure;
                        try {
                            McpReply reply = echo(mcp);
                            failure = reply.status() == 200 && reply.json().has("result") ? null : reply.status() + " " + reply.body();
                        } catch (RuntimeException e) {
                            failure = e.toString();
                        }
                        synchronized (load) {
                            if (failure == null) {
                                load.sinceLastFailure[client]++;
                                load.successes.incrementAndGet();
                            } else {
                                load.failures.add(failure);
                                load.perClientFailures[client]++;
                                load.sinceLastFailure[client] = 0;
                            }
                        }
                    }
                });
            }
            return load;
        }

        int successes() {
            return successes.get();
        }

        void awaitSuccesses(int count) throws InterruptedException {
            GatehouseCluster.await(count + " calls succeeded", () -> successes.get() >= count);
        }

        void stop() throws InterruptedException {
            running.set(false);
            threads.shutdown();
            assertThat(threads.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }

        List<String> failures() {
            return List.copyOf(failures);
        }

        String failureReasons() {
            return String.join("\n", failures);
        }

        synchronized List<Integer> failuresPerClient() {
            return java.util.Arrays.stream(perClientFailures).boxed().toList();
        }

        synchronized List<Integer> successesAfterLastFailure() {
            return java.util.Arrays.stream(sinceLastFailure).boxed().toList();
        }
    }

    private static McpReply echo(McpTestClient client) {
        return client.call("tools/call", Map.of("name", "echo", "arguments", Map.of("message", "hi")));
    }

    private static long[] requestCounts() {
        return new long[] {cluster.node(1).mcpRequests(), cluster.node(2).mcpRequests()};
    }

    /** A fresh access token from node 1 (the logged-in browser session, one code). */
    private static String accessToken() throws Exception {
        String verifier = verifier((int) (System.nanoTime() % 1_000_000));
        JsonNode tokens = browser.token(Map.of("grant_type", "authorization_code", "code", code(verifier), "redirect_uri", REDIRECT,
                "client_id", clientId, "code_verifier", verifier));
        assertThat(tokens.path("access_token").asString()).as(tokens.toString()).isNotBlank();
        return tokens.path("access_token").asString();
    }

    /** An authorization code for {@code verifier}: the first time through login and consent, then straight away. */
    private static String code(String verifier) throws Exception {
        HttpResponse<String> page = browser.authorize(clientId, REDIRECT, verifier, "mcp:read mcp:tools");
        URI callback = page.statusCode() == 302 ? URI.create(page.headers().firstValue("Location").orElseThrow())
                : browser.loginAndConsent(page, "alice", GatehouseCluster.PASSWORD);
        String code = OAuthTestDriver.param(callback, "code");
        assertThat(code).as(callback.toString()).isNotBlank();
        return code;
    }

    private static String verifier(int n) {
        return "cluster-race-verifier-0123456789-abcdefghijklmnop-" + n;
    }

    /** Sends the same token request to node 1 and node 2 at once; their answers. */
    private static List<JsonNode> race(Map<String, String> form) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<JsonNode>> answers = new ArrayList<>();
        for (int node = 1; node <= 2; node++) {
            OAuthTestDriver driver = new OAuthTestDriver(URI.create("http://127.0.0.1:" + cluster.node(node).port));
            answers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                    return driver.token(form);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        go.countDown();
        List<JsonNode> all = new ArrayList<>();
        for (CompletableFuture<JsonNode> answer : answers) {
            all.add(answer.get(60, TimeUnit.SECONDS));
        }
        return all;
    }

    private static String kid(String jwt) {
        String header = new String(Base64.getUrlDecoder().decode(jwt.substring(0, jwt.indexOf('.'))), StandardCharsets.UTF_8);
        return JsonMapper.builder().build().readTree(header).path("kid").asString();
    }
}
