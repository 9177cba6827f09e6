package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.McpTestClient;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Registered clients, signing keys and refresh tokens of the embedded authorization server survive a restart. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EmbeddedRestartTest {

    @Test
    void a_registered_client_and_its_refresh_token_work_after_a_restart() throws Exception {
        Path data = Files.createTempDirectory("gatehouse-restart");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String[] settings = {"auth", "embedded", "port", String.valueOf(port), "data-dir", data.toString(), "demo-password", "pw-restart"};
        URI base = URI.create("http://localhost:" + port);
        String redirect = "http://127.0.0.1:4321/callback";
        String verifier = "restart-test-verifier-0123456789-abcdefghijklmnop";
        String clientId;
        String refreshToken;
        try (RunningGatehouse first = RunningGatehouse.start(settings)) {
            OAuthTestDriver driver = new OAuthTestDriver(base);
            clientId = driver.register(redirect).path("client_id").asString();
            URI callback = driver.loginAndConsent(driver.authorize(clientId, redirect, verifier, "mcp:read mcp:tools"), "alice", "pw-restart");
            JsonNode tokens = driver.token(Map.of("grant_type", "authorization_code", "code", OAuthTestDriver.param(callback, "code"),
                    "redirect_uri", redirect, "client_id", clientId, "code_verifier", verifier));
            refreshToken = tokens.path("refresh_token").asString();
            assertThat(refreshToken).isNotBlank();
        }
        try (RunningGatehouse second = RunningGatehouse.start(settings)) {
            OAuthTestDriver driver = new OAuthTestDriver(base);
            assertThat(driver.authorize(clientId, redirect, verifier, "mcp:read").statusCode()).isEqualTo(200);
            JsonNode refreshed = driver.token(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", clientId));
            assertThat(refreshed.path("access_token").asString()).as(refreshed.toString()).isNotBlank();
            McpTestClient mcp = second.client().header("Authorization", "Bearer " + refreshed.path("access_token").asString()).initialize();
            assertThat(mcp.call("tools/call", Map.of("name", "whoami")).result().path("structuredContent").path("username").asString())
                    .isEqualTo("alice");
        }
    }
}
