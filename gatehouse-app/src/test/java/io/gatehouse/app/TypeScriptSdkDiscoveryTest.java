package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.server.internal.auth.LocalKeys;
import io.gatehouse.server.internal.auth.TokenMinter;
import io.gatehouse.testkit.ExternalProcess;
import io.gatehouse.testkit.NodeTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The official TypeScript SDK client ({@code @modelcontextprotocol/sdk@1.32.2} from npm) finds Gatehouse's
 * protected resource metadata both from the 401 challenge and from the well-known URL (RS-02), accepts its
 * {@code resource} (RS-03), and with a token connects and calls a tool.
 */
@Tag("interop")
class TypeScriptSdkDiscoveryTest {

    @Test
    @Tag("RS-02")
    void the_sdk_client_discovers_the_metadata_from_the_challenge_and_from_the_well_known_url() throws Exception {
        Path sdk = NodeTools.install("sdk", List.of("@modelcontextprotocol/sdk@1.32.2"));
        Path script = sdk.resolve("sdk-discovery.mjs");
        Files.copy(Path.of("src/test/node/sdk-discovery.mjs"), script, StandardCopyOption.REPLACE_EXISTING);
        Path data = Files.createTempDirectory("gatehouse-sdk");
        try (RunningGatehouse gatehouse = RunningGatehouse.start("auth", "local-keys", "data-dir", data.toString())) {
            String url = gatehouse.mcpUrl().toString();
            TokenMinter minter = new TokenMinter(LocalKeys.readPrivateKey(data.resolve("keys/" + LocalKeys.PRIVATE_KEY_FILE)));
            String token = minter.mint(TokenMinter.demoGrants().get(0), "http://localhost:" + gatehouse.gatehouse.port(),
                    List.of(url), Duration.ofMinutes(5), Instant.now());
            ExternalProcess.Outcome outcome = ExternalProcess.run(List.of(NodeTools.node22().toString(), script.toString(), url, token),
                    sdk, Map.of(), Duration.ofMinutes(2));
            assertThat(outcome.exitCode()).as(outcome.output()).isZero();
            String output = outcome.output().strip();
            JsonNode seen = JsonMapper.builder().build().readTree(output.substring(output.lastIndexOf("\n{") + 1));
            String metadataUrl = gatehouse.mcpUrl().resolve("/.well-known/oauth-protected-resource/mcp").toString();
            assertThat(seen.path("unauthenticatedConnect").asString()).containsIgnoringCase("unauthorized");
            assertThat(seen.path("status").asInt()).isEqualTo(401);
            assertThat(seen.path("challenge").path("resourceMetadataUrl").asString()).isEqualTo(metadataUrl);
            assertThat(seen.path("challenge").path("scope").asString()).isEqualTo("mcp:prompts mcp:read mcp:tools");
            assertThat(seen.path("challenge").path("error").isNull()).isTrue();
            assertThat(seen.path("fromHeader").path("resource").asString()).isEqualTo(url);
            assertThat(seen.path("fromWellKnown").path("resource").asString()).isEqualTo(url);
            assertThat(seen.path("fromWellKnown").path("authorization_servers").get(0).asString())
                    .isEqualTo("http://localhost:" + gatehouse.gatehouse.port());
            assertThat(seen.path("resource").asString()).isEqualTo(url);
            assertThat(seen.path("tools").toString()).contains("echo");
            assertThat(seen.path("echo").asString()).isEqualTo("Hello SDKHello SDK");
        }
    }
}
