package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.ExternalProcess;
import io.gatehouse.testkit.NodeTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official conformance suite's client scenarios against {@code gatehouse conformance client}, the adapter on
 * Gatehouse's own client code, run as a separate JVM per scenario exactly as the runner starts it: the
 * authorization scenarios of {@code @modelcontextprotocol/conformance@0.1.16 client --suite auth} (legacy servers,
 * so the client falls back to 2025-11-25), and every scenario {@code @modelcontextprotocol/conformance@0.2.0-alpha.12
 * client --requirements 2026-07-28} requires (modern mock servers: the client speaks 2026-07-28).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("conformance")
class ClientConformanceTest {

    static final List<String> REQUIRED_2026 = List.of("tools_call", "request-metadata", "auth/metadata-default", "auth/metadata-var1",
            "auth/metadata-var2", "auth/metadata-var3", "auth/basic-cimd", "auth/scope-from-www-authenticate",
            "auth/scope-from-scopes-supported", "auth/scope-omitted-when-undefined", "auth/scope-step-up", "auth/scope-retry-limit",
            "auth/token-endpoint-auth-basic", "auth/token-endpoint-auth-post", "auth/token-endpoint-auth-none", "auth/pre-registration",
            "auth/resource-mismatch", "auth/offline-access-scope", "auth/offline-access-not-supported",
            "auth/authorization-server-migration", "auth/iss-supported", "auth/iss-not-advertised", "auth/iss-supported-missing",
            "auth/iss-wrong-issuer", "auth/iss-unexpected", "auth/iss-normalized", "auth/metadata-issuer-mismatch",
            "sep-2322-client-request-state", "http-standard-headers", "http-custom-headers", "http-invalid-tool-headers",
            "json-schema-ref-no-deref");

    static Path node;
    static Path runner;
    static Path alphaRunner;
    static String command;

    @BeforeAll
    static void install() throws Exception {
        node = NodeTools.node22();
        runner = NodeTools.install("conformance", List.of("@modelcontextprotocol/conformance@0.1.16"))
                .resolve("node_modules/@modelcontextprotocol/conformance/dist/index.js");
        alphaRunner = NodeTools.install("conformance-alpha", List.of("@modelcontextprotocol/conformance@0.2.0-alpha.12"))
                .resolve("node_modules/@modelcontextprotocol/conformance/dist/index.js");
        String java = ProcessHandle.current().info().command().orElse("java");
        Path arguments = Path.of("target", "conformance-client-java.args").toAbsolutePath();
        // the runner starts every scenario's client at once: a JVM that starts light keeps them within the timeout on 2 cores
        Files.writeString(arguments, "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp " + System.getProperty("java.class.path") + "\n");
        command = java + " @" + arguments + " io.gatehouse.app.Main conformance client";
    }

    private static ExternalProcess.Outcome run(String label, String... selection) throws Exception {
        return run(runner, label, selection);
    }

    private static ExternalProcess.Outcome run(Path runner, String label, String... selection) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of(node.toString(), runner.toString(), "client", "--command", command));
        args.addAll(List.of(selection));
        ExternalProcess.Outcome outcome = ExternalProcess.run(args, Path.of("target"), Map.of(), Duration.ofMinutes(10));
        Files.writeString(Path.of("target", "conformance-client-" + label + ".txt"), outcome.output());
        return outcome;
    }

    @Test
    @Tag("CL-01")
    void all_14_auth_scenarios_pass_with_no_warnings() throws Exception {
        ExternalProcess.Outcome outcome = run("auth", "--suite", "auth");
        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(ConformanceRunner.passedScenarios(outcome.output())).as(outcome.output()).hasSize(14)
                .contains("auth/metadata-var3", "auth/basic-cimd", "auth/scope-step-up", "auth/scope-retry-limit",
                        "auth/token-endpoint-auth-basic", "auth/pre-registration");
        assertThat(outcome.output()).containsPattern("Total: \\d+ passed, 0 failed, 0 warnings");
    }

    @ParameterizedTest
    @ValueSource(strings = {"auth/2025-03-26-oauth-metadata-backcompat", "auth/2025-03-26-oauth-endpoint-fallback",
            "auth/resource-mismatch"})
    void the_back_compat_and_resource_mismatch_scenarios_pass(String scenario) throws Exception {
        ExternalProcess.Outcome outcome = run(scenario.replace('/', '-'), "--scenario", scenario);
        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output()).contains("0 failed, 0 warnings");
    }

    /**
     * Every client scenario the 2026-07-28 requirement set scores passes, with no warning: the modern wire (per-request
     * _meta, version and standard headers, retry after -32022), MRTR request state, x-mcp-header mirroring and
     * refusal, no network $ref, and the authorization scenarios including RFC 9207 iss, the metadata issuer check and
     * a changed authorization server. The unscored extension scenarios (client credentials, DPoP, ...) are run by the
     * suite too and not asserted.
     */
    @Test
    @Tag("CL-01")
    @Tag("V-5")
    @Tag("M-3")
    @Tag("H-12")
    @Tag("H-14")
    void every_scenario_required_at_2026_07_28_passes_with_no_warnings() throws Exception {
        ExternalProcess.Outcome outcome = run(alphaRunner, "2026-07-28", "--requirements", "2026-07-28", "--timeout", "180000");
        assertThat(ConformanceRunner.passedScenarios(outcome.output())).as(outcome.output()).containsAll(REQUIRED_2026);
        for (String scenario : REQUIRED_2026) {
            assertThat(outcome.output()).as(scenario).containsPattern("(?m)^✓ " + java.util.regex.Pattern.quote(scenario) + ": \\d+ passed, 0 failed$");
        }
        assertThat(outcome.output()).contains("Not scored for 2026-07-28").containsPattern("Total: \\d+ passed, \\d+ failed, 0 warnings");
        assertThat(outcome.exitCode()).as("the runner's verdict on the required scenarios").isZero();
    }
}
