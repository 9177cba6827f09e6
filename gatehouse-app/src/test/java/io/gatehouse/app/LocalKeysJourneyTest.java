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
import java.util.HashMap;
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
 * The tutorial's test_step6 … test_step8 checks, as behaviour, against {@code gatehouse serve --auth local-keys}
 * with the demo tokens of {@code gatehouse token mint --demo}: alice (read, tools), bob (read, prompts), admin
 * (everything, role admin) and guest (nothing) get exactly the access intended.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LocalKeysJourneyTest {

    static RunningGatehouse gatehouse;
    static final Map<String, String> TOKENS = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        Path data = Files.createTempDirectory("gatehouse-local-keys");
        gatehouse = RunningGatehouse.start("auth", "local-keys", "data-dir", data.toString());
        TokenMinter minter = new TokenMinter(LocalKeys.readPrivateKey(data.resolve("keys").resolve(LocalKeys.PRIVATE_KEY_FILE)));
        String issuer = "http://localhost:" + gatehouse.gatehouse.port();
        for (TokenMinter.Grant grant : TokenMinter.demoGrants()) {
            TOKENS.put(grant.username(), minter.mint(grant, issuer, List.of(gatehouse.mcpUrl().toString()),
                    Duration.ofMinutes(5), Instant.now()));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        gatehouse.close();
    }

    private static McpTestClient as(String user) {
        return gatehouse.client().header("Authorization", "Bearer " + TOKENS.get(user)).initialize();
    }

    private static List<String> names(JsonNode items) {
        return items.valueStream().map(i -> i.path("name").asString()).toList();
    }

    private static void assertForbidden(McpReply reply, String scope) {
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h)
                .contains("error=\"insufficient_scope\"").contains("scope=\"" + scope + "\"").contains("resource_metadata=\""));
        assertThat(reply.json().path("id").isIntegralNumber()).isTrue();
    }

    @Test
    @Tag("RS-02")
    void without_a_token_initialize_is_401_pointing_at_the_metadata() {
        McpReply reply = gatehouse.client().call("initialize", Map.of("protocolVersion", "2025-11-25",
                "capabilities", Map.of(), "clientInfo", Map.of("name", "t", "version", "1")));
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h)
                .contains("resource_metadata=\"" + gatehouse.mcpUrl().resolve("/.well-known/oauth-protected-resource/mcp") + "\""));
    }

    @Test
    void alice_lists_and_calls_tools_and_lists_prompts_but_cannot_get_one() {
        McpTestClient alice = as("alice");
        assertThat(names(alice.call("tools/list", Map.of()).result().path("tools"))).contains("echo", "whoami").doesNotContain("server_info");
        JsonNode echo = alice.call("tools/call", Map.of("name", "echo", "arguments", Map.of("message", "Hello Alice", "repeat_count", 2))).result();
        assertThat(echo.path("content").get(0).path("text").asString()).isEqualTo("Hello AliceHello Alice");
        assertThat(names(alice.call("prompts/list", Map.of()).result().path("prompts"))).contains("echo_prompt");
        assertForbidden(alice.call("prompts/get", Map.of("name", "echo_prompt", "arguments", Map.of("message", "x"))), "mcp:prompts");
    }

    @Test
    @Tag("RS-12")
    void bob_lists_tools_but_a_call_is_403_naming_only_mcp_tools() {
        McpTestClient bob = as("bob");
        assertThat(bob.call("tools/list", Map.of()).status()).isEqualTo(200);
        assertForbidden(bob.call("tools/call", Map.of("name", "echo", "arguments", Map.of("message", "x"))), "mcp:tools");
        JsonNode prompt = bob.call("prompts/get", Map.of("name", "echo_prompt", "arguments", Map.of("message", "Admin test"))).result();
        assertThat(prompt.path("messages").get(0).path("content").path("text").asString()).contains("Admin test");
    }

    @Test
    void admin_may_do_everything_including_the_admin_only_tool() {
        McpTestClient admin = as("admin");
        assertThat(names(admin.call("tools/list", Map.of()).result().path("tools"))).contains("server_info");
        assertThat(admin.call("tools/call", Map.of("name", "server_info")).result().path("content").get(0).path("text").asString())
                .startsWith("Java ");
        assertThat(admin.call("prompts/get", Map.of("name", "help")).status()).isEqualTo(200);
    }

    @Test
    void the_admin_only_tool_is_hidden_from_and_refused_to_others() {
        McpReply reply = as("alice").call("tools/call", Map.of("name", "server_info"));
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h)
                .contains("insufficient_scope").contains("role admin").doesNotContain("scope=\""));
    }

    @Test
    @Tag("RS-19")
    void guest_can_ping_but_lists_nothing() {
        McpTestClient guest = as("guest");
        assertThat(guest.call("ping", Map.of()).status()).isEqualTo(200);
        assertForbidden(guest.call("tools/list", Map.of()), "mcp:read");
        assertForbidden(guest.call("prompts/list", Map.of()), "mcp:read");
    }

    @Test
    void whoami_reports_the_caller_and_initialize_leaks_nothing_about_the_token() {
        McpTestClient alice = as("alice");
        JsonNode who = alice.call("tools/call", Map.of("name", "whoami")).result().path("structuredContent");
        assertThat(who.path("username").asString()).isEqualTo("alice");
        assertThat(who.path("subject").asString()).isEqualTo("user_alice");
        assertThat(who.path("scopes").toString()).isEqualTo("[\"mcp:read\",\"mcp:tools\"]");
        assertThat(who.path("roles").toString()).isEqualTo("[\"user\"]");
        assertThat(who.path("expiresAt").asString()).isNotBlank();
        JsonNode init = gatehouse.client().header("Authorization", "Bearer " + TOKENS.get("alice")).call("initialize",
                Map.of("protocolVersion", "2025-11-25", "capabilities", Map.of(), "clientInfo", Map.of("name", "t", "version", "1"))).result();
        assertThat(init.toString()).doesNotContain("alice", "mcp:read", TOKENS.get("alice"));
    }

    @Test
    void user_echo_says_who_sent_the_message() {
        JsonNode result = as("admin").call("tools/call", Map.of("name", "user_echo", "arguments", Map.of("message", "hi"))).result();
        assertThat(result.path("content").get(0).path("text").asString()).isEqualTo("admin said: hi");
    }

    @Test
    @Tag("RS-18")
    void a_session_id_replayed_with_another_principals_token_is_refused() {
        McpTestClient alice = as("alice");
        McpReply replay = gatehouse.client().post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}",
                "Authorization", "Bearer " + TOKENS.get("bob"), "Mcp-Session-Id", alice.sessionId());
        assertThat(replay.status()).isEqualTo(404);
        McpReply withoutToken = gatehouse.client().post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}",
                "Mcp-Session-Id", alice.sessionId());
        assertThat(withoutToken.status()).isEqualTo(401);
    }

    @Test
    void the_public_keys_are_published_for_local_keys_mode() {
        McpReply jwks = gatehouse.client().raw("GET", "/.well-known/jwks.json", null);
        assertThat(jwks.status()).isEqualTo(200);
        assertThat(jwks.json().path("keys").get(0).path("kty").asString()).isEqualTo("RSA");
        assertThat(jwks.json().path("keys").get(0).has("d")).isFalse();
    }
}
