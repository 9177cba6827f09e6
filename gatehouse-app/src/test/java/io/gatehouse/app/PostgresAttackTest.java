package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.McpReply;
import io.gatehouse.testkit.PostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 19 findings 8 and 9 against a running Gatehouse whose embedded authorization server keeps its state in a
 * real PostgreSQL ({@code --database-url}): races between redemptions of one code or refresh token, and an
 * outage of the database while Gatehouse runs.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("postgresql")
@Tag("attack")
class PostgresAttackTest {

    static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
    static final String REDIRECT = "http://127.0.0.1:4321/callback";
    static final String VERIFIER = "postgres-attack-verifier-0123456789-abcdefghijklmnop";
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    static PostgresServer postgres;
    static RunningGatehouse gatehouse;
    static URI base;

    @BeforeAll
    static void start() throws Exception {
        postgres = PostgresServer.start();
        gatehouse = RunningGatehouse.start("auth", "embedded", "data-dir", Files.createTempDirectory("gatehouse-pg-attack").toString(),
                "demo-password", "pw-attack", "database-url", postgres.jdbcUrl(), "management-port", "0");
        base = URI.create("http://localhost:" + gatehouse.gatehouse.port());
    }

    @AfterAll
    static void stop() throws Exception {
        if (gatehouse != null) {
            gatehouse.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    /** A registered public client and a fresh authorization code for alice. */
    record Authorized(String clientId, String code) {
    }

    static Authorized authorize(OAuthTestDriver driver) throws Exception {
        String clientId = driver.register(REDIRECT).path("client_id").asString();
        URI callback = driver.loginAndConsent(driver.authorize(clientId, REDIRECT, VERIFIER, "mcp:read mcp:tools"), "alice", "pw-attack");
        return new Authorized(clientId, OAuthTestDriver.param(callback, "code"));
    }

    static HttpResponse<String> token(Map<String, String> form) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve("/oauth/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(OAuthTestDriver.form(form))).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends the same token request from eight threads released at once. */
    static List<HttpResponse<String>> race(Map<String, String> form) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Callable<HttpResponse<String>>> requests = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            requests.add(() -> {
                go.await();
                return token(form);
            });
        }
        List<HttpResponse<String>> answers = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            List<Future<HttpResponse<String>>> pending = requests.stream().map(threads::submit).toList();
            go.countDown();
            for (Future<HttpResponse<String>> answer : pending) {
                answers.add(answer.get());
            }
        }
        return answers;
    }

    static void assertOneWinner(List<HttpResponse<String>> answers) {
        assertThat(answers).extracting(HttpResponse::statusCode).as("never a 500").containsOnly(200, 400);
        assertThat(answers).filteredOn(a -> a.statusCode() == 200).hasSize(1);
        assertThat(answers).filteredOn(a -> a.statusCode() == 400)
                .allSatisfy(a -> assertThat(OAuthTestDriver.JSON.readTree(a.body()).path("error").asString()).isEqualTo("invalid_grant"));
    }

    static JsonNode winner(List<HttpResponse<String>> answers) {
        return OAuthTestDriver.JSON.readTree(answers.stream().filter(a -> a.statusCode() == 200).findFirst().orElseThrow().body());
    }

    /** A ping without a session: authentication comes first, so this is 401 or 503 before any session check. */
    static McpReply ping(String accessToken) {
        return gatehouse.client().post(PING, "Authorization", "Bearer " + accessToken);
    }

    /** Initializes a session with the token and pings in it. */
    static int pingInSession(String accessToken) {
        return gatehouse.client().header("Authorization", "Bearer " + accessToken).initialize().call("ping", Map.of()).status();
    }

    static void assertRevoked(String accessToken) {
        McpReply reply = ping(accessToken);
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).contains("error=\"invalid_token\""));
    }

    @Test
    @Tag("SEC19-8")
    void concurrent_redemptions_of_one_code_give_one_token_and_invalid_grant_and_the_winners_token_is_revoked() throws Exception {
        Authorized authorized = authorize(new OAuthTestDriver(base));
        List<HttpResponse<String>> answers = race(Map.of("grant_type", "authorization_code", "code", authorized.code(),
                "redirect_uri", REDIRECT, "client_id", authorized.clientId(), "code_verifier", VERIFIER));
        assertOneWinner(answers);
        JsonNode won = winner(answers);
        assertRevoked(won.path("access_token").asString());
        HttpResponse<String> refresh = token(Map.of("grant_type", "refresh_token", "refresh_token", won.path("refresh_token").asString(),
                "client_id", authorized.clientId()));
        assertThat(refresh.statusCode()).isEqualTo(400);
        assertThat(refresh.body()).contains("invalid_grant");
    }

    @Test
    @Tag("SEC19-8")
    void concurrent_redemptions_of_one_refresh_token_give_one_token_and_invalid_grant_and_the_family_is_revoked() throws Exception {
        Authorized authorized = authorize(new OAuthTestDriver(base));
        HttpResponse<String> issued = token(Map.of("grant_type", "authorization_code", "code", authorized.code(),
                "redirect_uri", REDIRECT, "client_id", authorized.clientId(), "code_verifier", VERIFIER));
        assertThat(issued.statusCode()).isEqualTo(200);
        JsonNode first = OAuthTestDriver.JSON.readTree(issued.body());
        assertThat(pingInSession(first.path("access_token").asString())).isEqualTo(200);

        List<HttpResponse<String>> answers = race(Map.of("grant_type", "refresh_token", "refresh_token",
                first.path("refresh_token").asString(), "client_id", authorized.clientId()));
        assertOneWinner(answers);
        JsonNode won = winner(answers);
        assertRevoked(won.path("access_token").asString());
        assertRevoked(first.path("access_token").asString());
        HttpResponse<String> next = token(Map.of("grant_type", "refresh_token", "refresh_token", won.path("refresh_token").asString(),
                "client_id", authorized.clientId()));
        assertThat(next.statusCode()).isEqualTo(400);
        assertThat(next.body()).contains("invalid_grant");
    }

    @Test
    @Tag("SEC19-9")
    void while_the_database_is_down_mcp_and_the_oauth_endpoints_answer_503_with_retry_after_and_recover_after() throws Exception {
        OAuthTestDriver driver = new OAuthTestDriver(base);
        Authorized authorized = authorize(driver);
        JsonNode tokens = OAuthTestDriver.JSON.readTree(token(Map.of("grant_type", "authorization_code", "code", authorized.code(),
                "redirect_uri", REDIRECT, "client_id", authorized.clientId(), "code_verifier", VERIFIER)).body());
        String accessToken = tokens.path("access_token").asString();
        assertThat(pingInSession(accessToken)).isEqualTo(200);
        assertThat(health().statusCode()).isEqualTo(200);
        assertThat(OAuthTestDriver.JSON.readTree(managementHealth().body()).path("store").asString()).isEqualTo("up");

        postgres.stop();
        try {
            McpReply mcp = ping(accessToken);
            assertThat(mcp.status()).isEqualTo(503);
            assertThat(mcp.header("Retry-After")).isPresent();
            assertThat(mcp.json().path("error").path("code").isIntegralNumber()).isTrue();

            // past the moment the failure is remembered, so this one waits for the pool's connection timeout
            Thread.sleep(2_500);
            HttpResponse<String> register = register();
            HttpResponse<String> refresh = token(Map.of("grant_type", "refresh_token", "refresh_token",
                    tokens.path("refresh_token").asString(), "client_id", authorized.clientId()));
            HttpResponse<String> authorize = driver.authorize(authorized.clientId(), REDIRECT, VERIFIER, "mcp:read");
            for (HttpResponse<String> answer : List.of(register, refresh, authorize)) {
                assertThat(answer.statusCode()).as(answer.uri().getPath()).isEqualTo(503);
                assertThat(answer.headers().firstValue("Retry-After")).as(answer.uri().getPath()).isPresent();
                assertThat(OAuthTestDriver.JSON.readTree(answer.body()).path("error").asString()).isEqualTo("temporarily_unavailable");
                assertThat(answer.body()).doesNotContainIgnoringCase("exception").doesNotContain("jdbc:", "5432");
            }
            HttpResponse<String> health = health();
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(OAuthTestDriver.JSON.readTree(health.body()).path("status").asString()).isEqualTo("unavailable");
            assertThat(OAuthTestDriver.JSON.readTree(managementHealth().body()).path("store").asString()).isEqualTo("down");
        } finally {
            postgres.startAgain();
        }

        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (health().statusCode() != 200 && Instant.now().isBefore(deadline)) {
            Thread.sleep(250);
        }
        assertThat(health().statusCode()).isEqualTo(200);
        assertThat(pingInSession(accessToken)).isEqualTo(200);
        HttpResponse<String> refreshed = token(Map.of("grant_type", "refresh_token", "refresh_token", tokens.path("refresh_token").asString(),
                "client_id", authorized.clientId()));
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        assertThat(register().statusCode()).isEqualTo(201);
    }

    static HttpResponse<String> health() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve("/health")).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The detailed health of the management listener (which names the store's state). */
    static HttpResponse<String> managementHealth() throws Exception {
        URI management = URI.create("http://127.0.0.1:" + gatehouse.gatehouse.managementPort().orElseThrow() + "/health");
        return HTTP.send(HttpRequest.newBuilder(management).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> register() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve("/oauth/register")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"redirect_uris\":[\"" + REDIRECT + "\"],\"token_endpoint_auth_method\":\"none\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
