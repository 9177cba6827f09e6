package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.ExternalProcess;
import io.gatehouse.testkit.NodeTools;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The official conformance suite's authorization-server scenarios ({@code @modelcontextprotocol/conformance@0.2.0-alpha.12
 * authorization}) against the embedded authorization server: the metadata endpoint, and the authorization code
 * grant, whose browser step (login and consent) a headless script performs when the runner prints its URL.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("conformance")
class AuthorizationConformanceTest {

    static final String PASSWORD = "conformance-demo-password";

    @Test
    @Tag("AS-02")
    void both_authorization_server_scenarios_pass_without_warnings() throws Exception {
        Path node = NodeTools.node22();
        Path runner = NodeTools.install("conformance-alpha", List.of("@modelcontextprotocol/conformance@0.2.0-alpha.12"))
                .resolve("node_modules/@modelcontextprotocol/conformance/dist/index.js");
        Path scripts = NodeTools.install("sdk", List.of("@modelcontextprotocol/sdk@1.32.2"));
        Files.copy(Path.of("src/test/node/browser-login.mjs"), scripts.resolve("browser-login.mjs"), StandardCopyOption.REPLACE_EXISTING);
        Path dir = Files.createTempDirectory("gatehouse-as-conformance");
        Path config = Files.writeString(dir.resolve("gatehouse.yaml"), """
                clients:
                  - client-id: conformance-client
                    name: MCP conformance suite
                    redirect-uris: [http://127.0.0.1/callback]
                    token-endpoint-auth-method: none
                """);
        int callbackPort;
        try (ServerSocket free = new ServerSocket(0)) {
            callbackPort = free.getLocalPort();
        }
        try (RunningGatehouse gatehouse = RunningGatehouse.start("auth", "embedded", "config", config.toString(),
                "data-dir", dir.toString(), "demo-password", PASSWORD)) {
            String issuer = "http://localhost:" + gatehouse.gatehouse.port();
            CompletableFuture<ExternalProcess.Outcome> browser = new CompletableFuture<>();
            ExternalProcess.Outcome outcome = ExternalProcess.interact(List.of(node.toString(), runner.toString(), "authorization",
                    "--url", issuer, "--client-id", "conformance-client", "--resource", gatehouse.mcpUrl().toString(),
                    "-p", String.valueOf(callbackPort)), dir, Map.of(), Duration.ofMinutes(3), line -> {
                        if (line.startsWith(issuer + "/oauth/authorize?") && !browser.isDone()) {
                            CompletableFuture.runAsync(() -> browser.complete(ExternalProcess.run(List.of(node.toString(),
                                    scripts.resolve("browser-login.mjs").toString(), line.strip()), scripts,
                                    Map.of("GATEHOUSE_USER", "alice", "GATEHOUSE_PASSWORD", PASSWORD), Duration.ofMinutes(1))));
                        }
                    });
            Files.writeString(Path.of("target", "conformance-authorization.txt"), outcome.output());
            // the suite can print its summary before the browser script has exited: wait for the script
            assertThat(browser).as(outcome.output()).succeedsWithin(Duration.ofMinutes(1));
            assertThat(browser.get().exitCode()).as(browser.get().output()).isZero();
            assertThat(outcome.exitCode()).as(outcome.output()).isZero();
            assertThat(outcome.output()).contains("authorization-server-metadata-endpoint", "authorization-code-grant")
                    .doesNotContain("WARNING").doesNotContain("FAILURE");
        }
    }
}
