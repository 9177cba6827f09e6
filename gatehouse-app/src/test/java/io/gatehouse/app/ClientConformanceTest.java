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
 * The official conformance suite's client authorization scenarios ({@code @modelcontextprotocol/conformance@0.1.16
 * client --suite auth}) against {@code gatehouse conformance client}, the adapter on Gatehouse's own client code,
 * run as a separate JVM per scenario exactly as the runner starts it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("conformance")
class ClientConformanceTest {

    static Path node;
    static Path runner;
    static String command;

    @BeforeAll
    static void install() throws Exception {
        node = NodeTools.node22();
        runner = NodeTools.install("conformance", List.of("@modelcontextprotocol/conformance@0.1.16"))
                .resolve("node_modules/@modelcontextprotocol/conformance/dist/index.js");
        String java = ProcessHandle.current().info().command().orElse("java");
        Path arguments = Path.of("target", "conformance-client-java.args").toAbsolutePath();
        Files.writeString(arguments, "-cp " + System.getProperty("java.class.path") + "\n");
        command = java + " @" + arguments + " io.gatehouse.app.Main conformance client";
    }

    private static ExternalProcess.Outcome run(String label, String... selection) throws Exception {
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
        assertThat(ConformanceSuiteTest.passedScenarios(outcome.output())).as(outcome.output()).hasSize(14)
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
}
