package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.McpReply;
import io.gatehouse.testkit.McpTestClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
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
 * A FastMCP server (npm {@code fastmcp}, no auth of its own) guarded as a stdio upstream
 * ({@code --upstream-command}) by Gatehouse with its embedded authorization server, and a config file whose
 * {@code access:} section opens {@code add} and {@code whoami} to {@code mcp:read} and keeps {@code salary_report}
 * to {@code mcp:tools:payroll}. The tutorial's users, logged in through the login and consent pages, get exactly
 * that: alice ({@code mcp:tools}, which holds {@code mcp:tools:payroll}) sees and runs the report, bob
 * ({@code mcp:read mcp:prompts}) neither sees it nor runs it (403 naming {@code mcp:tools:payroll}), yet runs what the
 * rules open to him; the audit log names the tool for both decisions.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("interop")
class FastMcpUpstreamAccessTest {

    static final String PASSWORD = "fastmcp-gateway-demo-password";
    static final String REDIRECT = "http://127.0.0.1:4335/callback";
    static final String VERIFIER = "fastmcp-gateway-verifier-0123456789-abcdefghijkl";

    @TempDir
    static Path dir;
    static RunningGatehouse gatehouse;
    static JsonNode aliceTokens;
    static JsonNode bobTokens;
    static McpTestClient alice;
    static McpTestClient bob;
    static JsonNode initialized;

    @BeforeAll
    static void start() throws Exception {
        Path config = Files.writeString(dir.resolve("gatehouse.yaml"), """
                access:
                  tools:
                    add: { scopes: [mcp:read] }
                    whoami: { scopes: [mcp:read] }
                    salary_report: { scopes: [mcp:tools:payroll] }
                """);
        gatehouse = RunningGatehouse.start("auth", "embedded", "demo-password", PASSWORD,
                "data-dir", dir.resolve("data").toString(), "config", config.toString(),
                "upstream-command", FastMcpUpstream.commandLine(FastMcpUpstream.fastMcp("payroll")));
        URI base = URI.create("http://localhost:" + gatehouse.gatehouse.port());
        String clientId = new OAuthTestDriver(base).register(REDIRECT).path("client_id").asString();
        aliceTokens = authorize(base, clientId, "alice", "mcp:read mcp:tools");
        bobTokens = authorize(base, clientId, "bob", "mcp:read mcp:prompts");
        alice = session(aliceTokens);
        bob = session(bobTokens);
        McpReply reply = gatehouse.client().header("Authorization", bearer(aliceTokens)).call("initialize", Map.of(
                "protocolVersion", McpTestClient.PROTOCOL_VERSION, "capabilities", Map.of(),
                "clientInfo", Map.of("name", "fastmcp-access-test", "version", "1")));
        initialized = reply.result();
    }

    @AfterAll
    static void stop() throws Exception {
        gatehouse.close();
    }

    /** Logs {@code user} in and consents in a fresh browser, then exchanges the code: the token response. */
    static JsonNode authorize(URI base, String clientId, String user, String scope) throws Exception {
        OAuthTestDriver browser = new OAuthTestDriver(base);
        URI callback = browser.loginAndConsent(browser.authorize(clientId, REDIRECT, VERIFIER, scope), user, PASSWORD);
        return browser.token(Map.of("grant_type", "authorization_code", "code", OAuthTestDriver.param(callback, "code"),
                "redirect_uri", REDIRECT, "client_id", clientId, "code_verifier", VERIFIER));
    }

    static String bearer(JsonNode tokens) {
        return "Bearer " + tokens.path("access_token").asString();
    }

    static McpTestClient session(JsonNode tokens) {
        return gatehouse.client().header("Authorization", bearer(tokens)).initialize();
    }

    /** The access token's {@code sub}, as the audit log shows it. */
    static String subject(JsonNode tokens) {
        String payload = tokens.path("access_token").asString().split("\\.")[1];
        return OAuthTestDriver.JSON.readTree(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8))
                .path("sub").asString();
    }

    static List<String> toolNames(McpTestClient client) {
        return client.call("tools/list", Map.of()).result().path("tools").valueStream()
                .map(t -> t.path("name").asString()).toList();
    }

    static McpReply salaryReport(McpTestClient client) {
        return client.call("tools/call", Map.of("name", "salary_report", "arguments", Map.of("team", "R&D")));
    }

    @Test
    void the_demo_users_are_granted_their_tutorial_scopes() {
        assertThat(aliceTokens.path("scope").asString().split(" ")).containsExactlyInAnyOrder("mcp:read", "mcp:tools");
        assertThat(bobTokens.path("scope").asString().split(" ")).containsExactlyInAnyOrder("mcp:read", "mcp:prompts");
    }

    @Test
    void initialize_answers_with_gatehouses_server_info_and_the_fastmcp_servers_capabilities() {
        assertThat(initialized.path("serverInfo").path("name").asString()).isEqualTo("gatehouse");
        assertThat(initialized.path("capabilities").has("tools")).isTrue();
        assertThat(initialized.path("capabilities").has("prompts")).as("FastMCP declares no prompts here").isFalse();
    }

    @Test
    @Tag("RS-13")
    void alice_sees_the_restricted_tool_and_gets_the_upstreams_real_result() {
        assertThat(toolNames(alice)).containsExactlyInAnyOrder("add", "whoami", "salary_report");

        McpReply report = salaryReport(alice);
        assertThat(report.status()).isEqualTo(200);
        assertThat(report.result().path("isError").asBoolean(false)).isFalse();
        assertThat(report.result().path("content").get(0).path("text").asString())
                .isEqualTo("payroll salary report for R&D: 3 people, 210000 EUR");
    }

    @Test
    @Tag("RS-19")
    void bob_does_not_see_the_restricted_tool() {
        assertThat(toolNames(bob)).containsExactlyInAnyOrder("add", "whoami");
    }

    @Test
    @Tag("RS-11")
    @Tag("RS-12")
    @Tag("attack")
    void bob_calling_the_restricted_tool_anyway_gets_403_insufficient_scope_naming_the_configured_scope() {
        McpReply refused = salaryReport(bob);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h)
                .startsWith("Bearer error=\"insufficient_scope\"").contains("scope=\"mcp:tools:payroll\""));
        assertThat(refused.body()).doesNotContain("210000");
    }

    @Test
    void bob_runs_the_tools_the_rules_open_to_mcp_read_on_the_real_upstream() {
        McpReply sum = bob.call("tools/call", Map.of("name", "add", "arguments", Map.of("a", 2, "b", 3)));

        assertThat(sum.status()).isEqualTo(200);
        assertThat(sum.result().path("content").get(0).path("text").asString()).isEqualTo("5");
        assertThat(bob.call("tools/call", Map.of("name", "whoami", "arguments", Map.of())).result().path("content").get(0)
                .path("text").asString()).isEqualTo("payroll");
    }

    @Test
    void the_audit_log_names_the_tool_and_its_upstream_for_the_allowed_and_the_denied_call() throws Exception {
        String written;
        try (CapturedLog log = new CapturedLog()) {
            assertThat(salaryReport(alice).status()).isEqualTo(200);
            assertThat(salaryReport(bob).status()).isEqualTo(403);
            written = log.text();
        }

        assertThat(written.lines().filter(l -> l.contains("allowed sub=" + subject(aliceTokens) + " "))
                .filter(l -> l.endsWith("method=tools/call target=salary_report upstream=upstream"))).hasSize(1);
        assertThat(written.lines().filter(l -> l.contains("denied sub=" + subject(bobTokens) + " "))
                .filter(l -> l.contains("method=tools/call target=salary_report upstream=upstream: "))).singleElement()
                .satisfies(l -> assertThat(l).contains("mcp:tools:payroll"));
        assertThat(written).doesNotContain(aliceTokens.path("access_token").asString())
                .doesNotContain(bobTokens.path("access_token").asString());
    }
}
