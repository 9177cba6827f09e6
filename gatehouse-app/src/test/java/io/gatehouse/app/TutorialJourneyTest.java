package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.McpReply;
import io.gatehouse.testkit.McpTestClient;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The tutorial's test_step2 … test_step4 checks read as behaviour (seed inventory section 8), with its bugs
 * fixed: ping always works, unknown methods are -32601, tool names are looked up exactly, bad arguments are
 * tool errors rather than 500s, and echo returns the structured result its output schema promises.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TutorialJourneyTest {

    static RunningGatehouse server;
    static McpTestClient mcp;

    @BeforeAll
    static void start() throws Exception {
        server = RunningGatehouse.start("management-port", "0");
        mcp = server.client().initialize();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static JsonNode echo(Map<String, ?> arguments) {
        return mcp.call("tools/call", Map.of("name", "echo", "arguments", arguments)).result();
    }

    @Test
    void health_needs_no_session_and_the_management_listener_reports_the_auth_mode() {
        JsonNode health = server.client().raw("GET", "/health", null).json();
        assertThat(health.path("status").asString()).isEqualTo("ok");
        JsonNode details = server.managementHealth();
        assertThat(details.path("status").asString()).isEqualTo("ok");
        assertThat(details.path("auth").asString()).isEqualTo("none");
        assertThat(details.path("version").asString()).isNotBlank();
    }

    @Test
    void ping_answers_an_empty_object() {
        assertThat(mcp.call("ping", Map.of()).result().toString()).isEqualTo("{}");
    }

    @Test
    void initialize_reports_server_info_and_the_negotiated_version() {
        JsonNode result = server.client().call("initialize", Map.of("protocolVersion", "2025-06-18", "capabilities", Map.of(),
                "clientInfo", Map.of("name", "t", "version", "1"))).result();
        assertThat(result.path("protocolVersion").asString()).isEqualTo("2025-06-18");
        assertThat(result.path("serverInfo").path("name").asString()).isEqualTo("gatehouse");
        assertThat(result.path("capabilities").has("tools")).isTrue();
        assertThat(result.path("capabilities").has("prompts")).isTrue();
    }

    @Test
    void tools_list_shows_echo_with_its_schemas_and_get_time() {
        JsonNode tools = mcp.call("tools/list", Map.of()).result().path("tools");
        assertThat(tools.valueStream().map(t -> t.path("name").asString())).containsExactly("echo", "get_time", "whoami", "user_echo", "server_info");
        JsonNode echo = tools.get(0);
        assertThat(echo.path("inputSchema").path("required").toString()).isEqualTo("[\"message\"]");
        assertThat(echo.path("inputSchema").path("properties").path("repeat_count").path("maximum").asInt()).isEqualTo(10);
        assertThat(echo.path("outputSchema").path("properties").path("text").path("type").asString()).isEqualTo("string");
        assertThat(echo.has("meta")).isFalse();
    }

    @Test
    void echo_repeats_the_message_and_returns_matching_structured_content() {
        JsonNode result = echo(Map.of("message", "Hello World", "repeat_count", 3));
        assertThat(result.path("content").get(0).path("text").asString()).isEqualTo("Hello WorldHello WorldHello World");
        assertThat(result.path("structuredContent").path("text").asString()).isEqualTo("Hello WorldHello WorldHello World");
        assertThat(result.path("isError").asBoolean()).isFalse();
        assertThat(echo(Map.of("message", "Test", "repeat_count", 2)).path("content").get(0).path("text").asString())
                .isEqualTo("TestTest");
    }

    @Test
    void echo_repeats_once_by_default() {
        assertThat(echo(Map.of("message", "once")).path("structuredContent").path("text").asString()).isEqualTo("once");
    }

    @Test
    void echo_arguments_outside_the_schema_are_tool_errors_not_server_errors() {
        for (Map<String, ?> bad : java.util.List.<Map<String, ?>>of(Map.of("message", "x", "repeat_count", 11),
                Map.of("message", "x", "repeat_count", 0), Map.of("repeat_count", 2), Map.of("message", 7))) {
            JsonNode result = echo(bad);
            assertThat(result.path("isError").asBoolean()).as("%s", bad).isTrue();
            assertThat(result.path("content").get(0).path("text").asString()).startsWith("Invalid arguments for tool echo");
        }
    }

    @Test
    void an_unknown_tool_is_an_error_and_never_runs_echo() {
        McpReply reply = mcp.call("tools/call", Map.of("name", "ech0", "arguments", Map.of("message", "x")));
        assertThat(reply.error().path("code").asInt()).isEqualTo(-32602);
        assertThat(reply.error().path("message").asString()).isEqualTo("Unknown tool: ech0");
    }

    @Test
    void an_unknown_method_is_method_not_found() {
        assertThat(mcp.call("unknown_method", Map.of()).error().path("code").asInt()).isEqualTo(-32601);
    }

    @Test
    void get_time_returns_the_current_utc_time() {
        String text = mcp.call("tools/call", Map.of("name", "get_time")).result().path("content").get(0).path("text").asString();
        assertThat(text).matches("Current server time: \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    }

    @Test
    void the_tutorial_prompts_exist_and_fill_in_their_arguments() {
        JsonNode prompts = mcp.call("prompts/list", Map.of()).result().path("prompts");
        assertThat(prompts.valueStream().map(p -> p.path("name").asString())).containsExactly("echo_prompt", "greeting", "help");
        JsonNode echo = mcp.call("prompts/get", Map.of("name", "echo_prompt", "arguments", Map.of("message", "Test Message"))).result();
        assertThat(echo.path("messages").get(0).path("content").path("text").asString()).contains("Test Message");
        JsonNode greeting = mcp.call("prompts/get", Map.of("name", "greeting", "arguments", Map.of("name", "Ada", "style", "formal"))).result();
        assertThat(greeting.path("messages").get(0).path("content").path("text").asString()).contains("formal", "Ada");
        JsonNode help = mcp.call("prompts/get", Map.of("name", "help")).result();
        assertThat(help.path("messages").get(0).path("content").path("text").asString()).contains("echo", "get_time");
    }

    @Test
    void a_prompt_without_its_required_argument_is_invalid_params() {
        assertThat(mcp.call("prompts/get", Map.of("name", "echo_prompt")).error().path("code").asInt()).isEqualTo(-32602);
        assertThat(mcp.call("prompts/get", Map.of("name", "nope")).error().path("code").asInt()).isEqualTo(-32602);
    }

    @Test
    void completion_suggests_greeting_styles() {
        JsonNode completion = mcp.call("completion/complete", Map.of("ref", Map.of("type", "ref/prompt", "name", "greeting"),
                "argument", Map.of("name", "style", "value", "fo"))).result().path("completion");
        assertThat(completion.path("values").toString()).isEqualTo("[\"formal\"]");
    }
}
