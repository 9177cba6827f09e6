package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.as.users.PasswordHasher;
import io.gatehouse.mcp.tools.Tool;
import io.gatehouse.mcp.tools.ToolResult;
import io.gatehouse.server.GatehouseServer;
import io.gatehouse.testkit.McpReply;
import io.gatehouse.testkit.McpTestClient;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * A library {@link GatehouseServer} with the embedded authorization server, whose tools declare scopes of their own
 * ({@code mcp:words}, the narrower {@code mcp:tools:stats}) and whose config file's {@code access:} section names
 * another ({@code mcp:histogram}): both metadata documents list them, a configured user allowed {@code mcp:words}
 * gets a 403 naming it with a token asked without it, and gets it by a new authorization (SEP-2350 step-up); a user
 * allowed {@code mcp:tools} may be granted {@code mcp:tools:stats} (RS-13); a user not allowed {@code mcp:words}
 * never gets it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("SEP-2350")
class DeclaredScopesEmbeddedTest {

    record TextArgs(String text) {
    }

    static final String CAROL_PASSWORD = "carol-words-password-42";
    static final String DAVE_PASSWORD = "dave-tools-password-42";
    static final String REDIRECT = "http://127.0.0.1:4333/callback";
    static final String VERIFIER = "declared-scopes-verifier-0123456789-abcdefghijkl";
    static final List<String> SERVER_SCOPES = List.of("mcp:read", "mcp:tools", "mcp:prompts", "mcp:histogram",
            "mcp:tools:stats", "mcp:words");

    static GatehouseServer server;
    static URI base;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("gatehouse-declared-scopes");
        Path config = Files.writeString(dir.resolve("gatehouse.yaml"), """
                demo-users: false
                users:
                  - username: carol
                    password-hash: "%s"
                    roles: [user]
                    scopes: [mcp:read, mcp:tools, mcp:words]
                  - username: dave
                    password-hash: "%s"
                    roles: [user]
                    scopes: [mcp:read, mcp:tools]
                access:
                  role-scopes:
                    admin: ["*"]
                  tools:
                    word_histogram: { scopes: [mcp:histogram] }
                """.formatted(PasswordHasher.hash(CAROL_PASSWORD.toCharArray()), PasswordHasher.hash(DAVE_PASSWORD.toCharArray())));
        server = GatehouseServer.builder()
                .name("word-count", "1.0")
                .tool(Tool.builder("word_count").description("Count the words of a text").requiredScopes("mcp:words")
                        .handler(TextArgs.class, (args, ctx) -> ToolResult.text(ctx.caller().username() + ": "
                                + args.text().strip().split("\\s+").length + " words")))
                .tool(Tool.builder("word_stats").description("Longest word").requiredScopes("mcp:tools:stats")
                        .handler(TextArgs.class, (args, ctx) -> ToolResult.text(ctx.caller().username() + ": stats")))
                .tool(Tool.builder("word_histogram").description("Word histogram")
                        .handler(TextArgs.class, (args, ctx) -> ToolResult.text("histogram")))
                .args("--auth", "embedded", "--port", "0", "--data-dir", dir.toString(), "--config", config.toString())
                .build();
        server.start();
        base = URI.create("http://localhost:" + server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A new client (no consent remembered) registered at the embedded authorization server. */
    static String registerClient() throws Exception {
        return new OAuthTestDriver(base).register(REDIRECT).path("client_id").asString();
    }

    /** A whole authorization in a fresh browser: log in, consent, exchange the code; answers the token response. */
    static JsonNode authorize(String clientId, String user, String password, String scope) throws Exception {
        OAuthTestDriver browser = new OAuthTestDriver(base);
        URI callback = browser.loginAndConsent(browser.authorize(clientId, REDIRECT, VERIFIER, scope), user, password);
        return browser.token(Map.of("grant_type", "authorization_code", "code", OAuthTestDriver.param(callback, "code"),
                "redirect_uri", REDIRECT, "client_id", clientId, "code_verifier", VERIFIER));
    }

    static McpReply call(JsonNode tokens, String tool) {
        return McpTestClient.to(server.mcpUrl()).header("Authorization", "Bearer " + tokens.path("access_token").asString())
                .initialize().call("tools/call", Map.of("name", tool, "arguments", Map.of("text", "one two  three")));
    }

    static List<String> scopesSupported(String path) {
        JsonNode document = McpTestClient.to(server.mcpUrl()).raw("GET", path, null).json();
        return document.path("scopes_supported").valueStream().map(JsonNode::asString).toList();
    }

    @Test
    @Tag("RS-05")
    void both_metadata_documents_list_the_declared_and_configured_scopes_beside_the_base_ones_and_never_star() {
        assertThat(scopesSupported("/.well-known/oauth-protected-resource/mcp")).containsExactlyElementsOf(SERVER_SCOPES);
        assertThat(scopesSupported("/.well-known/oauth-authorization-server")).containsExactlyElementsOf(SERVER_SCOPES);
    }

    @Test
    @Tag("RS-12")
    void a_token_asked_without_the_tools_scope_gets_403_naming_it_and_a_new_authorization_asking_for_it_calls_the_tool()
            throws Exception {
        String clientId = registerClient();
        JsonNode first = authorize(clientId, "carol", CAROL_PASSWORD, "mcp:read mcp:tools");
        assertThat(first.path("scope").asString()).isEqualTo("mcp:read mcp:tools");

        McpReply refused = call(first, "word_count");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h)
                .startsWith("Bearer error=\"insufficient_scope\"").contains("scope=\"mcp:words\""));

        JsonNode stepped = authorize(clientId, "carol", CAROL_PASSWORD, "mcp:read mcp:tools mcp:words");
        assertThat(stepped.path("scope").asString()).isEqualTo("mcp:read mcp:tools mcp:words");
        McpReply counted = call(stepped, "word_count");
        assertThat(counted.status()).isEqualTo(200);
        assertThat(counted.result().path("content").get(0).path("text").asString()).isEqualTo("carol: 3 words");
    }

    @Test
    @Tag("RS-13")
    void a_user_allowed_the_broader_scope_may_be_granted_the_narrower_one_a_tool_declares() throws Exception {
        JsonNode tokens = authorize(registerClient(), "dave", DAVE_PASSWORD, "mcp:read mcp:tools:stats");

        assertThat(tokens.path("scope").asString()).isEqualTo("mcp:read mcp:tools:stats");
        McpReply stats = call(tokens, "word_stats");
        assertThat(stats.status()).isEqualTo(200);
        assertThat(stats.result().path("content").get(0).path("text").asString()).isEqualTo("dave: stats");
    }

    @Test
    @Tag("attack")
    void a_user_not_allowed_the_scope_does_not_get_it_by_asking_for_it() throws Exception {
        JsonNode tokens = authorize(registerClient(), "dave", DAVE_PASSWORD, "mcp:read mcp:tools mcp:words");

        assertThat(tokens.path("scope").asString()).isEqualTo("mcp:read mcp:tools");
        McpReply refused = call(tokens, "word_count");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).contains("scope=\"mcp:words\""));
    }

    @Test
    @Tag("attack")
    void asking_only_for_a_scope_the_user_is_not_allowed_ends_without_a_code() throws Exception {
        OAuthTestDriver browser = new OAuthTestDriver(base);
        HttpResponse<String> afterLogin = browser.login(browser.authorize(registerClient(), REDIRECT, VERIFIER, "mcp:words"),
                "dave", DAVE_PASSWORD);

        String answer = afterLogin.headers().firstValue("Location").orElse("") + afterLogin.body();
        assertThat(answer).contains("invalid_scope").doesNotContain("code=");
    }
}
