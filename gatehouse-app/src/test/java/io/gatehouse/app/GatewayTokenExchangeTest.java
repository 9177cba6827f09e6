package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.McpReply;
import io.gatehouse.testkit.McpTestClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 17 point 3: a gateway upstream configured with {@code auth: token-exchange} receives, on every request, only a
 * token exchanged (RFC 8693, by the embedded authorization server) for its own audience and the user of that client
 * session: alice's requests carry alice's, admin's carry admin's, one token each (cached), Gatehouse's client as actor;
 * never an MCP token (RS-14). A recording upstream keeps every header it got.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("issue-17")
@Tag("RFC8693")
@Tag("gateway")
@Tag("RS-14")
class GatewayTokenExchangeTest {

    static final String PASSWORD = "gateway-exchange-password-for-tests";
    static final String EXCHANGE_CLIENT = "gatehouse-gateway";
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path data;
    static RecordingUpstream upstream;
    static RunningGatehouse gateway;
    static String issuer;
    static String aliceToken;
    static String adminToken;

    @BeforeAll
    static void start() throws Exception {
        upstream = RecordingUpstream.start();
        String audience = upstream.mcpUrl().toString();
        Path config = Files.writeString(data.resolve("gateway.yaml"), """
                clients:
                  - client-id: %s
                    grant-types: [urn:ietf:params:oauth:grant-type:token-exchange]
                    token-endpoint-auth-method: client_secret_basic
                    client-secret-env: GATEWAY_EXCHANGE_SECRET
                    token-exchange-audiences: [%s]
                downstreams:
                  reports-mcp:
                    audience: %s
                    issuer: embedded
                    client-id: %s
                upstreams:
                  - name: reports
                    url: %s
                    auth: token-exchange
                    downstream: reports-mcp
                """.formatted(EXCHANGE_CLIENT, audience, audience, EXCHANGE_CLIENT, audience));
        gateway = RunningGatehouse.start(Map.of("GATEWAY_EXCHANGE_SECRET", "gateway-exchange-secret"), "config", config.toString(),
                "auth", "embedded", "demo-password", PASSWORD, "data-dir", data.resolve("gatehouse-data").toString());
        URI base = URI.create("http://localhost:" + gateway.gatehouse.port());
        issuer = base.toString();
        String redirect = "http://127.0.0.1:9/callback";
        String client = new OAuthTestDriver(base).register(redirect).path("client_id").asString();
        aliceToken = OAuthTestDriver.logIn(base, client, redirect, "a".repeat(50), "alice", PASSWORD).path("access_token").asString();
        adminToken = OAuthTestDriver.logIn(base, client, redirect, "b".repeat(50), "admin", PASSWORD).path("access_token").asString();
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    static JsonNode claims(String jwt) {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    static void useAs(String token, String text) {
        McpTestClient client = gateway.client().header("Authorization", "Bearer " + token).initialize();
        assertThat(client.call("tools/list", Map.of()).status()).isEqualTo(200);
        for (int i = 0; i < 2; i++) {
            McpReply echo = client.call("tools/call", Map.of("name", "echo", "arguments", Map.of("text", text)));
            assertThat(echo.result().path("content").path(0).path("text").asString()).as(echo.body()).isEqualTo(text);
        }
    }

    @Test
    @Tag("attack")
    void each_request_carries_only_a_token_exchanged_for_the_upstreams_audience_and_the_sessions_user() {
        useAs(aliceToken, "from-alice");
        useAs(adminToken, "from-admin");
        String aliceSub = claims(aliceToken).path("sub").asString();
        String adminSub = claims(adminToken).path("sub").asString();
        Set<String> aliceTokens = new HashSet<>();
        Set<String> adminTokens = new HashSet<>();
        List<RecordingUpstream.Recorded> seen = upstream.requests();
        assertThat(seen).extracting(RecordingUpstream::jsonRpcMethod).contains("initialize", "tools/list", "tools/call");
        for (RecordingUpstream.Recorded request : seen) {
            List<String> authorization = request.headers().get("Authorization");
            assertThat(authorization).as(request.body()).hasSize(1).allSatisfy(h -> assertThat(h).startsWith("Bearer "));
            String token = authorization.getFirst().substring("Bearer ".length());
            assertThat(token).isNotEqualTo(aliceToken).isNotEqualTo(adminToken);
            assertThat(request.headers().toString() + request.body()).doesNotContain(aliceToken).doesNotContain(adminToken);
            JsonNode claims = claims(token);
            assertThat(claims.path("iss").asString()).isEqualTo(issuer);
            JsonNode aud = claims.path("aud");
            assertThat(aud.isArray() ? aud.valueStream().map(JsonNode::asString).toList() : List.of(aud.asString()))
                    .containsExactly(upstream.mcpUrl().toString());
            assertThat(claims.path("act").path("sub").asString()).isEqualTo(EXCHANGE_CLIENT);
            assertThat(claims.path("sub").asString()).isIn(aliceSub, adminSub);
            (claims.path("sub").asString().equals(aliceSub) ? aliceTokens : adminTokens).add(token);
            if (request.body().contains("from-alice")) {
                assertThat(claims.path("sub").asString()).isEqualTo(aliceSub);
            }
            if (request.body().contains("from-admin")) {
                assertThat(claims.path("sub").asString()).isEqualTo(adminSub);
            }
        }
        assertThat(aliceTokens).as("one exchanged token for alice, reused").hasSize(1);
        assertThat(adminTokens).as("one exchanged token for admin, reused").hasSize(1);
    }
}
