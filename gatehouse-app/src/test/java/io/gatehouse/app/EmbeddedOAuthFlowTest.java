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
 * the official TypeScript SDK client and the MCP Inspector CLI with its own OAuth flow, each driving the login
 * and consent pages headlessly.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("interop")
class EmbeddedOAuthFlowTest {

    static final String PASSWORD = "demo-password-for-tests";
    static Path scripts;
    static RunningGatehouse gatehouse;

    @BeforeAll
    static void start() throws Exception {
        scripts = NodeTools.install("sdk", List.of("@modelcontextprotocol/sdk@1.32.2"));
        for (String script : List.of("browser-login.mjs", "sdk-oauth-flow.mjs")) {
            Files.copy(Path.of("src/test/node", script), scripts.resolve(script), StandardCopyOption.REPLACE_EXISTING);
        }
        gatehouse = RunningGatehouse.start("auth", "embedded", "demo-password", PASSWORD,
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

    @Test
    void the_inspector_cli_runs_its_own_oauth_flow_and_calls_a_tool() throws Exception {
        Path inspector = NodeTools.install("inspector", List.of("@modelcontextprotocol/inspector@2.12.0"))
                .resolve("node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js");
        Path browser = Files.createTempFile("gatehouse-browser", ".sh");
        Files.writeString(browser, "#!/bin/sh\nexec '" + NodeTools.node22() + "' '" + scripts.resolve("browser-login.mjs") + "' \"$1\"\n");
        browser.toFile().setExecutable(true);
        Path home = Files.createTempDirectory("inspector-home");
        List<String> command = new ArrayList<>(List.of(NodeTools.node22().toString(), inspector.toString(), "--cli",
                gatehouse.mcpUrl().toString(), "--transport", "http", "--method", "tools/call", "--tool-name", "whoami"));
        ExternalProcess.Outcome outcome = ExternalProcess.run(command, home, Map.of("HOME", home.toString(),
                "MCP_INSPECTOR_SECRET_STORE", "memory", "MCP_AUTO_OPEN_ENABLED", "true", "BROWSER", browser.toString(),
                "GATEHOUSE_USER", "admin", "GATEHOUSE_PASSWORD", PASSWORD), Duration.ofMinutes(2));
        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output()).contains("\"username\": \"admin\"").contains("mcp:tools");
    }
}
