package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.ExternalProcess;
import io.gatehouse.testkit.NodeTools;
import java.nio.file.Files;
import java.nio.file.Path;
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

/** The real MCP Inspector CLI 2.12.0 (from npm) lists and calls Gatehouse's tools, as the README promises. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("interop")
class InspectorCliTest {

    static Path node;
    static Path inspector;
    static RunningGatehouse gatehouse;

    @BeforeAll
    static void start() throws Exception {
        node = NodeTools.node22();
        inspector = NodeTools.install("inspector", List.of("@modelcontextprotocol/inspector@2.12.0"))
                .resolve("node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js");
        gatehouse = RunningGatehouse.start();
    }

    @AfterAll
    static void stop() throws Exception {
        gatehouse.close();
    }

    private static JsonNode inspect(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(node.toString(), inspector.toString(), "--cli",
                gatehouse.mcpUrl().toString(), "--transport", "http"));
        command.addAll(List.of(arguments));
        Path home = Files.createTempDirectory("inspector-home");
        ExternalProcess.Outcome outcome = ExternalProcess.run(command, home, Map.of("HOME", home.toString()), Duration.ofMinutes(2));
        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        String out = outcome.output();
        return JsonMapper.builder().build().readTree(out.substring(out.indexOf('{')));
    }

    @Test
    void the_inspector_lists_the_tools() throws Exception {
        JsonNode tools = inspect("--method", "tools/list").path("tools");
        assertThat(tools.valueStream().map(t -> t.path("name").asString())).contains("echo", "get_time");
    }

    @Test
    void the_inspector_calls_echo() throws Exception {
        JsonNode result = inspect("--method", "tools/call", "--tool-name", "echo",
                "--tool-arg", "message=Hello World", "--tool-arg", "repeat_count=3");
        assertThat(result.path("content").get(0).path("text").asString()).isEqualTo("Hello WorldHello WorldHello World");
        assertThat(result.path("structuredContent").path("text").asString()).isEqualTo("Hello WorldHello WorldHello World");
    }

    @Test
    void the_inspector_gets_a_prompt() throws Exception {
        JsonNode result = inspect("--method", "prompts/get", "--prompt-name", "echo_prompt", "--prompt-args", "message=Ada");
        assertThat(result.path("messages").get(0).path("content").path("text").asString()).contains("Ada");
    }
}
