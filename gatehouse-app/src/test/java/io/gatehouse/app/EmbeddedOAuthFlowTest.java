package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.ExternalProcess;
import io.gatehouse.testkit.NodeTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real MCP clients complete the whole MCP authorization flow against {@code gatehouse serve --auth embedded}:
 * the official TypeScript SDK client, v1 (2025-11-25) and v2 (2026-07-28 and legacy, negotiated), and the MCP
 * Inspector CLI with its own OAuth flow in both protocol eras, each driving the login and consent pages headlessly.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("interop")
class EmbeddedOAuthFlowTest {

    static final String PASSWORD = "demo-password-for-tests";
    static Path scripts;
    static Path sdkV2;
    static RunningGatehouse gatehouse;

    @BeforeAll
    static void start() throws Exception {
        scripts = NodeTools.install("sdk", List.of("@modelcontextprotocol/sdk@1.32.2"));
        for (String script : List.of("browser-login.mjs", "sdk-login.mjs", "sdk-oauth-flow.mjs")) {
            Files.copy(Path.of("src/test/node", script), scripts.resolve(script), StandardCopyOption.REPLACE_EXISTING);
        }
        sdkV2 = NodeTools.install("sdk-v2", List.of("@modelcontextprotocol/client@2.4.0"));
        for (String script : List.of("browser-login.mjs", "sdk-v2-flow.mjs")) {
            Files.copy(Path.of("src/test/node", script), sdkV2.resolve(script), StandardCopyOption.REPLACE_EXISTING);
        }
        // the conformance fixtures add test_elicitation, a tool that asks the user for input (MRTR on 2026-07-28)
        gatehouse = RunningGatehouse.start("auth", "embedded", "demo-password", PASSWORD, "fixtures", "conformance",
                "data-dir", Files.createTempDirectory("gatehouse-embedded").toString());
    }

    @AfterAll
    static void stop() throws Exception {
        gatehouse.close();
    }

    private static JsonNode lastJsonLine(String output) {
        String[] lines = output.strip().split("\n");
        return JsonMapper.builder().build().readTree(lines[lines.length - 1]);
    }

    @Test
    void the_typescript_sdk_client_registers_logs_in_and_calls_a_tool() {
        ExternalProcess.Outcome outcome = ExternalProcess.run(List.of(NodeTools.node22().toString(),
                        scripts.resolve("sdk-oauth-flow.mjs").toString(), gatehouse.mcpUrl().toString(), "alice", PASSWORD),
                scripts, Map.of(), Duration.ofMinutes(2));
        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        JsonNode seen = lastJsonLine(outcome.output());
        String base = "http://localhost:" + gatehouse.gatehouse.port();
        assertThat(seen.path("requests").toString()).contains("POST /mcp -> 401",
                "GET /.well-known/oauth-protected-resource/mcp -> 200", "GET /.well-known/oauth-authorization-server -> 200",
                "POST /oauth/register -> 201", "POST /oauth/token -> 200");
        assertThat(seen.path("authorizationParams").path("code_challenge_method").asString()).isEqualTo("S256");
        assertThat(seen.path("authorizationParams").path("resource").asString()).isEqualTo(gatehouse.mcpUrl().toString());
        assertThat(seen.path("iss").asString()).isEqualTo(base);
        assertThat(seen.path("grantedScope").asString()).isEqualTo("mcp:read mcp:tools");
        assertThat(seen.path("hasRefreshToken").asBoolean()).isTrue();
        assertThat(seen.path("echo").asString()).isEqualTo("Hello OAuthHello OAuth");
        assertThat(seen.path("whoami").path("username").asString()).isEqualTo("alice");
        assertThat(seen.path("whoami").path("clientId").asString()).isEqualTo(seen.path("clientId").asString());
    }

    /** Runs sdk-v2-flow.mjs as alice in one negotiation mode and returns its summary. */
    private static JsonNode sdkV2Flow(String mode) {
        ExternalProcess.Outcome outcome = ExternalProcess.run(List.of(NodeTools.node22().toString(),
                        sdkV2.resolve("sdk-v2-flow.mjs").toString(), gatehouse.mcpUrl().toString(), "alice", PASSWORD, mode),
                sdkV2, Map.of(), Duration.ofMinutes(2));
        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        return lastJsonLine(outcome.output());
    }

    @Test
    @Tag("V-3")
    @Tag("M-1")
    void the_typescript_sdk_v2_pinned_to_2026_07_28_logs_in_and_answers_a_tools_input_request() {
        JsonNode seen = sdkV2Flow("pin");
        assertThat(seen.path("protocolVersion").asString()).isEqualTo("2026-07-28");
        assertThat(seen.path("requests").toString()).contains("POST /mcp server/discover -> 401",
                "POST /oauth/register -> 201", "POST /oauth/token -> 200", "POST /mcp server/discover -> 200",
                "POST /mcp tools/call -> 200").doesNotContain("initialize");
        assertThat(seen.path("serverName").asString()).isEqualTo("gatehouse");
        assertThat(seen.path("tools").toString()).contains("echo", "whoami", "test_elicitation");
        // the tool asked through MRTR: the SDK answered the input request with its elicitation handler and retried
        assertThat(seen.path("elicitations").toString()).contains("Who are you?");
        assertThat(seen.path("elicitationResult").asString()).contains("action=accept").contains("alice@example.com");
    }

    @Test
    @Tag("V-4")
    @Tag("V-5")
    void the_typescript_sdk_v2_in_auto_mode_negotiates_2026_07_28() {
        JsonNode seen = sdkV2Flow("auto");
        assertThat(seen.path("protocolVersion").asString()).isEqualTo("2026-07-28");
        assertThat(seen.path("requests").toString()).doesNotContain("initialize");
        assertThat(seen.path("elicitationResult").asString()).contains("action=accept");
    }

    @Test
    @Tag("V-4")
    void the_typescript_sdk_v2_in_legacy_mode_still_gets_a_2025_session_and_the_same_tool_asks_on_its_stream() {
        JsonNode seen = sdkV2Flow("legacy");
        assertThat(seen.path("protocolVersion").asString()).isEqualTo("2025-11-25");
        assertThat(seen.path("requests").toString()).contains("initialize").doesNotContain("server/discover");
        assertThat(seen.path("elicitations").toString()).contains("Who are you?");
        assertThat(seen.path("elicitationResult").asString()).contains("action=accept").contains("alice@example.com");
    }

    @Test
    void the_inspector_cli_runs_its_own_oauth_flow_and_calls_a_tool() throws Exception {
        ExternalProcess.Outcome outcome = inspector("legacy", "--method", "tools/call", "--tool-name", "whoami");
        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output()).contains("\"username\": \"admin\"").contains("mcp:tools");
    }

    @Test
    @Tag("V-4")
    void the_inspector_cli_in_the_modern_era_lists_and_calls_tools() throws Exception {
        ExternalProcess.Outcome listed = inspector("modern", "--method", "tools/list");
        assertThat(listed.exitCode()).as(listed.output()).isZero();
        assertThat(listed.output()).contains("\"echo\"").contains("\"whoami\"");
        ExternalProcess.Outcome called = inspector("modern", "--method", "tools/call", "--tool-name", "whoami");
        assertThat(called.exitCode()).as(called.output()).isZero();
        assertThat(called.output()).contains("\"username\": \"admin\"").contains("mcp:tools");
    }

    /** The Inspector CLI 2.12.0 in one protocol era, logging in as admin through its own OAuth flow. */
    private static ExternalProcess.Outcome inspector(String era, String... arguments) throws Exception {
        Path inspector = NodeTools.install("inspector", List.of("@modelcontextprotocol/inspector@2.12.0"))
                .resolve("node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js");
        Path browser = Files.createTempFile("gatehouse-browser", ".sh");
        Files.writeString(browser, "#!/bin/sh\nexec '" + NodeTools.node22() + "' '" + scripts.resolve("browser-login.mjs") + "' \"$1\"\n");
        browser.toFile().setExecutable(true);
        Path home = Files.createTempDirectory("inspector-home");
        List<String> command = new ArrayList<>(List.of(NodeTools.node22().toString(), inspector.toString(), "--cli",
                gatehouse.mcpUrl().toString(), "--transport", "http", "--protocol-era", era));
        command.addAll(List.of(arguments));
        return ExternalProcess.run(command, home, Map.of("HOME", home.toString(),
                "MCP_INSPECTOR_SECRET_STORE", "memory", "MCP_AUTO_OPEN_ENABLED", "true", "BROWSER", browser.toString(),
                "GATEHOUSE_USER", "admin", "GATEHOUSE_PASSWORD", PASSWORD), Duration.ofMinutes(2));
    }
}
