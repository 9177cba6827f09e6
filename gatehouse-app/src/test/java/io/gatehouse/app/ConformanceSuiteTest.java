package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.ExternalProcess;
import io.gatehouse.testkit.NodeTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The official MCP conformance suite ({@code @modelcontextprotocol/conformance@0.1.16}, on Node 22, both from
 * the npm registry) against a real Gatehouse started with the conformance fixture pack. Its output is kept in
 * {@code target/conformance-*.txt}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("conformance")
class ConformanceSuiteTest {

    static final int ACTIVE_SCENARIOS = 30;
    static Path node;
    static Path runner;

    @BeforeAll
    static void install() {
        node = NodeTools.node22();
        runner = NodeTools.install("conformance", List.of("@modelcontextprotocol/conformance@0.1.16"))
                .resolve("node_modules/@modelcontextprotocol/conformance/dist/index.js");
    }

    @Test
    void all_active_server_scenarios_pass_in_session_mode() throws Exception {
        try (RunningGatehouse gatehouse = RunningGatehouse.start("fixtures", "conformance")) {
            ExternalProcess.Outcome outcome = runSuite(gatehouse, "stateful", List.of());
            assertThat(outcome.exitCode()).as(outcome.output()).isZero();
            assertThat(passedScenarios(outcome.output())).as(outcome.output()).hasSize(ACTIVE_SCENARIOS);
            assertThat(failedChecks(outcome.output())).as(outcome.output()).isZero();
            assertThat(outcome.output()).doesNotContain("WARNING");
        }
    }

    @Test
    void in_stateless_mode_only_the_scenarios_that_need_a_session_are_expected_to_fail() throws Exception {
        Path expected = Path.of(ConformanceSuiteTest.class.getResource("/conformance/stateless-expected-failures.yml").toURI());
        try (RunningGatehouse gatehouse = RunningGatehouse.start("fixtures", "conformance", "session-mode", "stateless")) {
            ExternalProcess.Outcome outcome = runSuite(gatehouse, "stateless",
                    List.of("--expected-failures", expected.toString()));
            assertThat(outcome.exitCode()).as(outcome.output()).isZero();
            List<String> passed = passedScenarios(outcome.output());
            assertThat(passed).as(outcome.output()).hasSize(ACTIVE_SCENARIOS - 3)
                    .doesNotContain("server-sse-multiple-streams", "resources-subscribe", "resources-unsubscribe")
                    .contains("tools-call-sampling", "tools-call-elicitation", "dns-rebinding-protection");
        }
    }

    private static ExternalProcess.Outcome runSuite(RunningGatehouse gatehouse, String label, List<String> extra) throws IOException {
        List<String> command = new ArrayList<>(List.of(node.toString(), runner.toString(), "server",
                "--url", gatehouse.mcpUrl().toString(), "--suite", "active"));
        command.addAll(extra);
        ExternalProcess.Outcome outcome = ExternalProcess.run(command, Path.of("target"), Map.of(), Duration.ofMinutes(10));
        Files.writeString(Path.of("target", "conformance-" + label + ".txt"), outcome.output());
        return outcome;
    }

    /** Scenario names from the summary lines {@code ✓ name: N passed, 0 failed} with at least one check passed. */
    static List<String> passedScenarios(String output) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^✓ ([\\w/.-]+): (\\d+) passed, 0 failed").matcher(output);
        while (m.find()) {
            if (Integer.parseInt(m.group(2)) > 0) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    static int failedChecks(String output) {
        Matcher m = Pattern.compile("(?m)^Total: \\d+ passed, (\\d+) failed").matcher(output);
        if (!m.find()) {
            throw new AssertionError("no summary in the conformance output:\n" + output);
        }
        return Integer.parseInt(m.group(1));
    }
}
