package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.McpReply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 17: a running {@code gatehouse serve --auth embedded} with a client configured for token exchange (RFC 8693)
 * in its config file. alice's MCP token is exchanged over HTTP for a token for a downstream API, and that token,
 * signed by the same server for the same user, is refused at {@code /mcp}: its audience is the downstream (RFC 8707
 * audience binding), so a downstream can never replay it against the MCP server.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("RFC8693")
@Tag("issue-17")
@Tag("attack")
class ExchangedTokenAtMcpTest {

    static final String PASSWORD = "exchange-demo-password-0123";
    static final String SECRET = "tools-caller-secret-0123456789";
    static final String REDIRECT = "http://127.0.0.1:4391/callback";
    static final String VERIFIER = "exchanged-token-at-mcp-verifier-0123456789-abcdefghij";
    static final String DOWNSTREAM = "https://reports.example.com/api";
    static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}";

    @TempDir
    static Path dataDir;
    static RunningGatehouse gatehouse;
    static URI base;
    static JsonNode alice;
    static HttpResponse<String> exchange;

    @BeforeAll
    static void exchangeAlicesToken() throws Exception {
        Path config = Files.writeString(dataDir.resolve("gatehouse.yaml"), """
                clients:
                  - client-id: my-ide
                    redirect-uris: [http://127.0.0.1/callback]
                  - client-id: tools-caller
                    grant-types: [urn:ietf:params:oauth:grant-type:token-exchange]
                    token-endpoint-auth-method: client_secret_basic
                    client-secret-env: TOOLS_CALLER_SECRET
                    token-exchange-audiences: [%s]
                """.formatted(DOWNSTREAM));
        gatehouse = RunningGatehouse.start(Map.of("TOOLS_CALLER_SECRET", SECRET), "auth", "embedded", "config", config.toString(),
                "data-dir", dataDir.resolve("data").toString(), "demo-password", PASSWORD);
        base = URI.create("http://localhost:" + gatehouse.gatehouse.port());
        alice = OAuthTestDriver.logIn(base, "my-ide", REDIRECT, VERIFIER, "alice", PASSWORD);
        String form = OAuthTestDriver.form(Map.of("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
                "subject_token", alice.path("access_token").asString(),
                "subject_token_type", "urn:ietf:params:oauth:token-type:access_token", "resource", DOWNSTREAM));
        exchange = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("tools-caller:" + SECRET).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @AfterAll
    static void stop() throws Exception {
        gatehouse.close();
    }

    @Test
    void the_configured_client_gets_a_token_for_the_downstream_and_the_metadata_advertises_the_grant() throws Exception {
        JsonNode tokens = OAuthTestDriver.JSON.readTree(exchange.body());
        JsonNode metadata = OAuthTestDriver.JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                base.resolve("/.well-known/oauth-authorization-server")).build(), HttpResponse.BodyHandlers.ofString()).body());

        assertThat(exchange.statusCode()).as(exchange.body()).isEqualTo(200);
        assertThat(tokens.path("issued_token_type").asString()).isEqualTo("urn:ietf:params:oauth:token-type:access_token");
        assertThat(tokens.has("refresh_token")).isFalse();
        assertThat(metadata.path("grant_types_supported").toString()).contains("urn:ietf:params:oauth:grant-type:token-exchange");
    }

    @Test
    void alices_mcp_token_is_accepted_at_mcp_and_the_token_exchanged_for_the_downstream_is_refused_as_invalid_token() throws Exception {
        String exchanged = OAuthTestDriver.JSON.readTree(exchange.body()).path("access_token").asString();

        McpReply withMcpToken = gatehouse.client().post(PING, "Authorization", "Bearer " + alice.path("access_token").asString());
        McpReply withExchanged = gatehouse.client().post(PING, "Authorization", "Bearer " + exchanged);

        assertThat(exchanged).isNotBlank();
        assertThat(withMcpToken.status()).as("the MCP token passes authentication").isNotIn(401, 403);
        assertThat(withMcpToken.header("WWW-Authenticate")).isEmpty();
        assertThat(withExchanged.status()).isEqualTo(401);
        assertThat(withExchanged.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h)
                .startsWith("Bearer ").contains("error=\"invalid_token\""));
    }
}
