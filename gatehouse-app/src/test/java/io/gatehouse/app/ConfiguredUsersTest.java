package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.server.internal.config.ConfigException;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/** Real users come from the config file, with hashes made by {@code gatehouse users hash-password}. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConfiguredUsersTest {

    private static String hashPassword(String password) {
        InputStream original = System.in;
        StringWriter out = new StringWriter();
        try {
            System.setIn(new ByteArrayInputStream((password + "\n").getBytes(StandardCharsets.UTF_8)));
            CommandLine cli = Main.commandLine();
            cli.setOut(new PrintWriter(out));
            assertThat(cli.execute("users", "hash-password")).isZero();
        } finally {
            System.setIn(original);
        }
        return out.toString().strip();
    }

    @Test
    void a_configured_user_logs_in_with_the_scopes_the_config_allows_and_demo_users_are_gone() throws Exception {
        String hash = hashPassword("carol-secret-password");
        assertThat(hash).startsWith("pbkdf2-sha256$").doesNotContain("carol-secret-password");
        Path dir = Files.createTempDirectory("gatehouse-users");
        Path config = Files.writeString(dir.resolve("gatehouse.yaml"), """
                demo-users: false
                users:
                  - username: carol
                    password-hash: "%s"
                    roles: [user]
                    scopes: [mcp:read]
                """.formatted(hash));
        try (RunningGatehouse gatehouse = RunningGatehouse.start("auth", "embedded", "config", config.toString(), "data-dir", dir.toString())) {
            URI base = URI.create("http://localhost:" + gatehouse.gatehouse.port());
            String redirect = "http://127.0.0.1:4322/callback";
            String verifier = "configured-users-verifier-0123456789-abcdefghij";
            OAuthTestDriver driver = new OAuthTestDriver(base);
            String clientId = driver.register(redirect).path("client_id").asString();
            URI callback = driver.loginAndConsent(driver.authorize(clientId, redirect, verifier, "mcp:read mcp:tools"),
                    "carol", "carol-secret-password");
            JsonNode tokens = driver.token(Map.of("grant_type", "authorization_code", "code", OAuthTestDriver.param(callback, "code"),
                    "redirect_uri", redirect, "client_id", clientId, "code_verifier", verifier));
            assertThat(tokens.path("scope").asString()).isEqualTo("mcp:read");
            var page = new OAuthTestDriver(base).authorize(clientId, redirect, verifier, "mcp:read");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(Files.exists(dir.resolve("demo-password"))).isFalse();
        }
    }

    @Test
    @Tag("attack")
    @Tag("SEC10-1")
    void a_machine_client_named_like_a_user_is_refused_at_start() throws Exception {
        Path dir = Files.createTempDirectory("gatehouse-users");
        Path config = Files.writeString(dir.resolve("gatehouse.yaml"), """
                clients:
                  - client-id: alice
                    grant-types: [client_credentials]
                    token-endpoint-auth-method: client_secret_basic
                    client-secret-env: ALICE_MACHINE_SECRET
                    scopes: [mcp:read]
                """);

        assertThatThrownBy(() -> RunningGatehouse.start(Map.of("ALICE_MACHINE_SECRET", "a-machine-secret-0123456789"), "auth", "embedded", "config", config.toString(), "data-dir", dir.toString(),
                "demo-password", "a-demo-password-for-this-test"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'alice' has the name of a user");
    }
}
