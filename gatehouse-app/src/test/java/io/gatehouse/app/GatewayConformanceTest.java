package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Transparency of the gateway: the official conformance suite's active server scenarios (0.1.16, session mode) run
 * once against a Gatehouse serving the conformance fixtures ({@code --auth none --fixtures conformance}) and once
 * against a second Gatehouse (auth off) that guards the first as its HTTP upstream. Both pass 30/30, and every check
 * of every scenario has the same id, status and details, but for one documented difference: an initialize result
 * (the DNS-rebinding scenario shows one) carries the gateway's own {@code serverInfo}, not the upstream's, so the
 * fixture pack's {@code title} is not in it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("conformance")
@Tag("gateway")
class GatewayConformanceTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void the_active_server_scenarios_pass_through_the_gateway_exactly_as_against_its_upstream(@TempDir Path data)
            throws Exception {
        try (RunningGatehouse upstream = RunningGatehouse.start("fixtures", "conformance",
                "data-dir", data.resolve("upstream").toString());
             RunningGatehouse gateway = RunningGatehouse.start("upstream", upstream.mcpUrl().toString(),
                     "data-dir", data.resolve("gateway").toString())) {
            ConformanceRunner.ServerRun direct = ConformanceRunner.activeServerScenarios(upstream.mcpUrl(),
                    "gateway-upstream-direct", List.of());
            ConformanceRunner.ServerRun relayed = ConformanceRunner.activeServerScenarios(gateway.mcpUrl(),
                    "gateway-relayed", List.of());

            for (ConformanceRunner.ServerRun run : List.of(direct, relayed)) {
                assertThat(run.outcome().exitCode()).as(run.output()).isZero();
                assertThat(ConformanceRunner.passedScenarios(run.output())).as(run.output())
                        .hasSize(ConformanceRunner.ACTIVE_SCENARIOS);
                assertThat(ConformanceRunner.failedChecks(run.output())).as(run.output()).isZero();
                assertThat(run.output()).doesNotContain("WARNING");
            }
            Map<String, JsonNode> expected = comparable(ConformanceRunner.checksByScenario(direct.results()),
                    upstream.gatehouse.port());
            Map<String, JsonNode> actual = comparable(ConformanceRunner.checksByScenario(relayed.results()),
                    gateway.gatehouse.port());
            assertThat(expected).hasSize(ConformanceRunner.ACTIVE_SCENARIOS);
            assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
            expected.forEach((scenario, checks) -> assertThat(actual.get(scenario)).as(scenario).isEqualTo(checks));
        }
    }

    /**
     * The checks as comparable across the two runs: without their timestamps, the server's port as {@code PORT}, and
     * without {@code serverInfo.title} (the gateway answers initialize with its own server info).
     */
    private static Map<String, JsonNode> comparable(Map<String, JsonNode> checksByScenario, int port) {
        Map<String, JsonNode> comparable = new TreeMap<>();
        checksByScenario.forEach((scenario, checks) -> {
            JsonNode copy = JSON.readTree(checks.toString().replace(":" + port, ":PORT"));
            copy.forEach(check -> ((ObjectNode) check).remove("timestamp"));
            copy.findParents("serverInfo").forEach(parent -> ((ObjectNode) parent.get("serverInfo")).remove("title"));
            comparable.put(scenario, copy);
        });
        return comparable;
    }
}
