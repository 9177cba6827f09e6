package io.gatehouse.app;

import io.gatehouse.testkit.ExternalProcess;
import io.gatehouse.testkit.NodeTools;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The official MCP conformance suite ({@code @modelcontextprotocol/conformance}, on Node 22, from the npm registry)
 * as the tests run it, and how they read its results: the summary lines of its output and the {@code checks.json} it
 * writes per scenario. Output and results are kept under {@code target/conformance-<label>}.
 */
final class ConformanceRunner {

    static final String SUITE_0_1_16 = "@modelcontextprotocol/conformance@0.1.16";
    /** The active server scenarios of 0.1.16. */
    static final int ACTIVE_SCENARIOS = 30;
    private static final Pattern RESULT_DIR = Pattern.compile("^server-(.+)-\\d{4}-\\d{2}-\\d{2}T[\\d-]+Z$");

    /** One run of the server scenarios: the runner's exit code and output, and the directory of its results. */
    record ServerRun(ExternalProcess.Outcome outcome, Path results) {
        String output() {
            return outcome.output();
        }
    }

    private ConformanceRunner() {
    }

    /** The entry script of a conformance runner version, installed on first use. */
    static Path runner(String packageAtVersion, String cacheName) {
        return NodeTools.install(cacheName, List.of(packageAtVersion))
                .resolve("node_modules/@modelcontextprotocol/conformance/dist/index.js");
    }

    /** The 0.1.16 runner. */
    static Path runner0116() {
        return runner(SUITE_0_1_16, "conformance");
    }

    /** Runs 0.1.16's active server scenarios against {@code url}, keeping output and results under {@code label}. */
    static ServerRun activeServerScenarios(URI url, String label, List<String> extra) throws IOException {
        Path results = Path.of("target", "conformance-" + label).toAbsolutePath();
        deleteTree(results); // one run's results only
        List<String> command = new ArrayList<>(List.of(NodeTools.node22().toString(), runner0116().toString(), "server",
                "--url", url.toString(), "--suite", "active", "-o", results.toString()));
        command.addAll(extra);
        ExternalProcess.Outcome outcome = ExternalProcess.run(command, Path.of("target"), Map.of(), Duration.ofMinutes(10));
        Files.writeString(Path.of("target", "conformance-" + label + ".txt"), outcome.output());
        return new ServerRun(outcome, results);
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

    /** The ids of the checks of one scenario with this status, from the runner's {@code checks.json}. */
    static List<String> checks(Path results, String scenario, String status) throws IOException {
        JsonNode all = checksByScenario(results).get(scenario);
        if (all == null) {
            throw new AssertionError("no results for scenario " + scenario + " in " + results);
        }
        List<String> matching = new ArrayList<>();
        for (JsonNode check : all) {
            if (check.path("status").asString().equals(status)) {
                matching.add(check.path("id").asString());
            }
        }
        return matching;
    }

    /** Every scenario's checks as the runner wrote them ({@code checks.json}), by scenario name. */
    static Map<String, JsonNode> checksByScenario(Path results) throws IOException {
        Map<String, JsonNode> byScenario = new TreeMap<>();
        JsonMapper json = JsonMapper.builder().build();
        try (var dirs = Files.list(results)) {
            for (Path dir : dirs.toList()) {
                Matcher name = RESULT_DIR.matcher(dir.getFileName().toString());
                if (name.matches()) {
                    byScenario.put(name.group(1), json.readTree(dir.resolve("checks.json").toFile()));
                }
            }
        }
        return byScenario;
    }

    static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (var paths = Files.walk(root)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
