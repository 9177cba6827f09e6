package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.as.users.PasswordHasher;
import io.gatehouse.testkit.McpTestClient;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * SEC10-4: refresh tokens must not outlive what their user holds. A user removed from the config file, disabled
 * or demoted keeps nothing through an old refresh token once Gatehouse restarts with the new file, and a family
 * of refresh tokens ends {@code refresh-token-max-lifetime} after the login however often it is rotated.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("attack")
@Tag("SEC10-4")
class RefreshTokenAttackTest {

    static final String PASSWORD = "refresh-attack-password-42";
    static final String REDIRECT = "http://127.0.0.1:4388/callback";
    static final String VERIFIER = "refresh-token-attack-verifier-0123456789-abcdefgh";
    static final String HASH = PasswordHasher.hash(PASSWORD.toCharArray());

    @Test
    void users_removed_disabled_or_demoted_in_the_config_file_lose_their_refresh_tokens_at_the_restart() throws Exception {
        Path dir = Files.createTempDirectory("gatehouse-refresh-users");
        Path config = dir.resolve("gatehouse.yaml");
        String[] settings = settings(dir, config);
        Map<String, JsonNode> tokens = new LinkedHashMap<>();
        String clientId;
        Files.writeString(config, users(user("carol", "[user, admin]", "[mcp:read, mcp:tools]", false),
                user("dave", "[user]", "[mcp:read, mcp:tools]", false), user("erin", "[user]", "[mcp:read, mcp:tools]", false)));
        try (RunningGatehouse first = RunningGatehouse.start(settings)) {
            clientId = new OAuthTestDriver(base(first)).register(REDIRECT).path("client_id").asString();
            for (String user : List.of("carol", "dave", "erin")) {
                tokens.put(user, logIn(base(first), clientId, user));
                assertThat(tokens.get(user).path("scope").asString()).isEqualTo("mcp:read mcp:tools");
            }
        }
        // carol demoted, dave removed, erin disabled
        Files.writeString(config, users(user("carol", "[user]", "[mcp:read]", false), user("erin", "[user]", "[mcp:read, mcp:tools]", true)));
        try (RunningGatehouse second = RunningGatehouse.start(settings)) {
            OAuthTestDriver driver = new OAuthTestDriver(base(second));

            JsonNode carol = driver.token(OAuthTestDriver.refreshForm(tokens.get("carol"), clientId));
            assertThat(carol.path("scope").asString()).as(carol.toString()).isEqualTo("mcp:read");
            assertThat(claims(carol.path("access_token").asString()).path("roles").toString()).isEqualTo("[\"user\"]");
            McpTestClient carolMcp = second.client().header("Authorization", "Bearer " + carol.path("access_token").asString()).initialize();
            assertThat(carolMcp.call("tools/call", Map.of("name", "echo", "arguments", Map.of("message", "x"))).status()).isEqualTo(403);

            for (String gone : List.of("dave", "erin")) {
                JsonNode refused = driver.token(OAuthTestDriver.refreshForm(tokens.get(gone), clientId));
                assertThat(refused.path("error").asString()).as(gone).isEqualTo("invalid_grant");
                assertThat(refused.has("access_token")).isFalse();
                // the family is revoked: the access token issued before the restart stops working too
                assertThat(second.client().header("Authorization", "Bearer " + tokens.get(gone).path("access_token").asString())
                        .call("initialize", initializeParams()).status()).as(gone).isEqualTo(401);
            }
        }
    }

    @Test
    void a_refresh_token_family_ends_at_its_maximum_lifetime_however_often_it_is_rotated() throws Exception {
        Path dir = Files.createTempDirectory("gatehouse-refresh-lifetime");
        Path config = Files.writeString(dir.resolve("gatehouse.yaml"), users(user("carol", "[user]", "[mcp:read]", false)));
        String[] settings = settings(dir, config);
        JsonNode rotated;
        String clientId;
        Instant loggedIn;
        try (RunningGatehouse first = RunningGatehouse.start(settings)) {
            clientId = new OAuthTestDriver(base(first)).register(REDIRECT).path("client_id").asString();
            loggedIn = Instant.now();
            JsonNode tokens = logIn(base(first), clientId, "carol");
            rotated = new OAuthTestDriver(base(first)).token(OAuthTestDriver.refreshForm(tokens, clientId));
            assertThat(rotated.path("refresh_token").asString()).as(rotated.toString()).isNotBlank();
        }
        while (Instant.now().isBefore(loggedIn.plus(Duration.ofMillis(1500)))) {
            Thread.sleep(100);
        }
        String[] shortLived = java.util.stream.Stream.concat(java.util.Arrays.stream(settings),
                java.util.stream.Stream.of("refresh-token-max-lifetime", "1s")).toArray(String[]::new);
        try (RunningGatehouse second = RunningGatehouse.start(shortLived)) {
            JsonNode refused = new OAuthTestDriver(base(second)).token(OAuthTestDriver.refreshForm(rotated, clientId));

            assertThat(refused.path("error").asString()).as(refused.toString()).isEqualTo("invalid_grant");
            assertThat(refused.has("access_token")).isFalse();
        }
    }

    private static String[] settings(Path dir, Path config) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        return new String[] {"auth", "embedded", "port", String.valueOf(port), "data-dir", dir.toString(), "config", config.toString()};
    }

    private static JsonNode logIn(URI base, String clientId, String username) throws Exception {
        return OAuthTestDriver.logIn(base, clientId, REDIRECT, VERIFIER, username, PASSWORD);
    }

    private static String users(String... users) {
        return "demo-users: false\nusers:\n" + String.join("", users);
    }

    private static String user(String name, String roles, String scopes, boolean disabled) {
        return "  - username: " + name + "\n    password-hash: \"" + HASH + "\"\n    roles: " + roles + "\n    scopes: " + scopes
                + "\n    disabled: " + disabled + "\n";
    }

    private static URI base(RunningGatehouse gatehouse) {
        return URI.create("http://localhost:" + gatehouse.gatehouse.port());
    }

    private static JsonNode claims(String jwt) {
        return OAuthTestDriver.JSON.readTree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    private static Map<String, Object> initializeParams() {
        return Map.of("protocolVersion", McpTestClient.PROTOCOL_VERSION, "capabilities", Map.of(),
                "clientInfo", Map.of("name", "refresh-attack", "version", "1"));
    }
}
