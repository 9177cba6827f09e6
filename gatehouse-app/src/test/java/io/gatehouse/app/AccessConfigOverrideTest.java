package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.server.internal.auth.LocalKeys;
import io.gatehouse.server.internal.auth.TokenMinter;
import io.gatehouse.testkit.McpReply;
import io.gatehouse.testkit.McpTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The config file's {@code access:} section applies on top of what tools and prompts declare in code: a configured
 * rule replaces the declaration (here: the admin-only {@code server_info} opened to {@code mcp:tools}, and
 * {@code echo_prompt} narrowed to {@code mcp:prompts:echo}), for the call and for the list alike.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AccessConfigOverrideTest {

    static RunningGatehouse gatehouse;
    static TokenMinter minter;

    @BeforeAll
    static void start() throws Exception {
        Path data = Files.createTempDirectory("gatehouse-access");
        Path config = Files.writeString(data.resolve("gatehouse.yaml"), """
                access:
                  tools:
                    server_info: { scopes: [mcp:tools] }
                  prompts:
                    echo_prompt: { scopes: [mcp:prompts:echo] }
                """);
        gatehouse = RunningGatehouse.start("auth", "local-keys", "data-dir", data.toString(), "config", config.toString());
        minter = new TokenMinter(LocalKeys.readPrivateKey(data.resolve("keys").resolve(LocalKeys.PRIVATE_KEY_FILE)));
    }

    @AfterAll
    static void stop() throws Exception {
        gatehouse.close();
    }

    private static McpTestClient with(String... scopes) throws Exception {
        String token = minter.mint(new TokenMinter.Grant("user_carol", "carol", List.of(scopes), List.of("user")),
                "http://localhost:" + gatehouse.gatehouse.port(), List.of(gatehouse.mcpUrl().toString()),
                Duration.ofMinutes(5), Instant.now());
        return gatehouse.client().header("Authorization", "Bearer " + token).initialize();
    }

    private static List<String> names(JsonNode items) {
        return items.valueStream().map(i -> i.path("name").asString()).toList();
    }

    @Test
    void a_configured_rule_replaces_a_tools_declared_role() throws Exception {
        McpTestClient carol = with("mcp:read", "mcp:tools");

        assertThat(names(carol.call("tools/list", Map.of()).result().path("tools"))).contains("server_info");
        assertThat(carol.call("tools/call", Map.of("name", "server_info")).status()).isEqualTo(200);
    }

    @Test
    @Tag("RS-19")
    void a_configured_rule_narrows_a_prompt_for_the_get_and_the_list() throws Exception {
        McpTestClient other = with("mcp:read", "mcp:prompts:other");
        McpTestClient echo = with("mcp:read", "mcp:prompts:echo");

        McpReply refused = other.call("prompts/get", Map.of("name", "echo_prompt", "arguments", Map.of("message", "x")));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h)
                .contains("error=\"insufficient_scope\"").contains("scope=\"mcp:prompts:echo\""));
        assertThat(names(other.call("prompts/list", Map.of()).result().path("prompts"))).doesNotContain("echo_prompt");
        assertThat(echo.call("prompts/get", Map.of("name", "echo_prompt", "arguments", Map.of("message", "x"))).status())
                .isEqualTo(200);
        assertThat(names(echo.call("prompts/list", Map.of()).result().path("prompts"))).contains("echo_prompt");
    }
}
