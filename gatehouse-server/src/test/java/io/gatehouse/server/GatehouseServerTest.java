package io.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.mcp.tools.Tool;
import io.gatehouse.mcp.tools.ToolResult;
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
 * A library server as a user writes one: one tool of its own that declares the scope it needs, started with
 * {@code --auth local-keys} from its args over code-given defaults, called with tokens minted by the local key.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GatehouseServerTest {

    record WordCountArgs(String text) {
    }

    static GatehouseServer server;
    static String wordsToken;
    static String readOnlyToken;

    static Tool wordCount() {
        return Tool.builder("word_count").description("Count the words of a text").requiredScopes("mcp:words")
                .handler(WordCountArgs.class, (args, ctx) -> ToolResult.text(ctx.caller().username() + ": "
                        + args.text().strip().split("\\s+").length + " words"));
    }

    @BeforeAll
    static void start() throws Exception {
        Path data = Files.createTempDirectory("gatehouse-server-test");
        server = GatehouseServer.builder()
                .name("word-count", "1.0")
                .instructions("Counts words.")
                .tool(wordCount())
                .stepUpScopes("mcp:words:export")
                .settings(GatehouseSettings.builder().auth("none").port(1).resourceName("Word counter").build())
                .args("--auth", "local-keys", "--port", "0", "--data-dir", data.toString())
                .environment(Map.of())
                .build();
        server.start();
        TokenMinter minter = new TokenMinter(LocalKeys.readPrivateKey(data.resolve("keys").resolve(LocalKeys.PRIVATE_KEY_FILE)));
        String issuer = "http://localhost:" + server.port();
        List<String> audience = List.of(server.mcpUrl().toString());
        wordsToken = minter.mint(new TokenMinter.Grant("user_carol", "carol", List.of("mcp:read", "mcp:words"), List.of()),
                issuer, audience, Duration.ofMinutes(5), Instant.now());
        readOnlyToken = minter.mint(new TokenMinter.Grant("user_dave", "dave", List.of("mcp:read"), List.of()),
                issuer, audience, Duration.ofMinutes(5), Instant.now());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static McpTestClient as(String token) {
        return McpTestClient.to(server.mcpUrl()).header("Authorization", "Bearer " + token).initialize();
    }

    static McpReply countWords(McpTestClient client) {
        return client.call("tools/call", Map.of("name", "word_count", "arguments", Map.of("text", "one two  three")));
    }

    @Test
    void it_serves_only_the_tools_its_builder_registered() {
        JsonNode tools = as(wordsToken).call("tools/list", Map.of()).result().path("tools");
        assertThat(tools.valueStream().map(t -> t.path("name").asString()).toList()).containsExactly("word_count");
    }

    @Test
    void initialize_reports_the_name_and_instructions_given_in_code() {
        McpReply reply = McpTestClient.to(server.mcpUrl()).header("Authorization", "Bearer " + wordsToken)
                .call("initialize", Map.of("protocolVersion", McpTestClient.PROTOCOL_VERSION, "capabilities", Map.of(),
                        "clientInfo", Map.of("name", "t", "version", "1")));
        assertThat(reply.result().path("serverInfo").path("name").asString()).isEqualTo("word-count");
        assertThat(reply.result().path("serverInfo").path("version").asString()).isEqualTo("1.0");
        assertThat(reply.result().path("instructions").asString()).isEqualTo("Counts words.");
    }

    @Test
    @Tag("RS-02")
    void without_a_token_it_answers_401() {
        McpReply reply = McpTestClient.to(server.mcpUrl()).call("initialize", Map.of("protocolVersion",
                McpTestClient.PROTOCOL_VERSION, "capabilities", Map.of(), "clientInfo", Map.of("name", "t", "version", "1")));
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).contains("resource_metadata=\""));
    }

    @Test
    void a_token_without_the_tools_declared_scope_gets_403_insufficient_scope_naming_it() {
        McpReply reply = countWords(as(readOnlyToken));
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h)
                .contains("error=\"insufficient_scope\"").contains("scope=\"mcp:words\""));
    }

    @Test
    void the_tool_sees_the_authenticated_caller() {
        McpReply reply = countWords(as(wordsToken));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.result().path("isError").asBoolean(false)).isFalse();
        assertThat(reply.result().path("content").get(0).path("text").asString()).isEqualTo("carol: 3 words");
    }

    @Test
    @Tag("RS-05")
    void the_protected_resource_metadata_lists_the_declared_and_step_up_scopes_beside_the_base_ones() {
        McpReply metadata = McpTestClient.to(server.mcpUrl()).raw("GET", "/.well-known/oauth-protected-resource/mcp", null);
        assertThat(metadata.json().path("scopes_supported").valueStream().map(JsonNode::asString).toList())
                .containsExactly("mcp:read", "mcp:tools", "mcp:prompts", "mcp:words", "mcp:words:export");
    }

    @Test
    @Tag("RS-05")
    void the_401_challenge_still_suggests_only_the_base_scopes() {
        McpReply reply = McpTestClient.to(server.mcpUrl()).call("initialize", Map.of("protocolVersion",
                McpTestClient.PROTOCOL_VERSION, "capabilities", Map.of(), "clientInfo", Map.of("name", "t", "version", "1")));
        assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h)
                .contains("scope=\"mcp:prompts mcp:read mcp:tools\"").doesNotContain("mcp:words"));
    }

    @Test
    void args_override_the_code_defaults_and_the_code_defaults_override_the_built_in_ones() {
        assertThat(server.port()).isNotEqualTo(1);
        McpReply metadata = McpTestClient.to(server.mcpUrl()).raw("GET", "/.well-known/oauth-protected-resource/mcp", null);
        assertThat(metadata.json().path("resource_name").asString()).isEqualTo("Word counter");
    }
}
