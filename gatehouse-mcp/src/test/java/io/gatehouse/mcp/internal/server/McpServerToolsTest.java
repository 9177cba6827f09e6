package io.gatehouse.mcp.internal.server;

import io.gatehouse.mcp.context.Caller;
import static io.gatehouse.mcp.internal.server.Wire.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcCodec;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcError;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcErrorCodes;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import io.gatehouse.mcp.tools.Param;
import io.gatehouse.mcp.tools.Tool;
import io.gatehouse.mcp.tools.ToolAnnotations;
import io.gatehouse.mcp.tools.ToolExecutionException;
import io.gatehouse.mcp.tools.ToolResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.IntNode;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class McpServerToolsTest {

    record EchoArgs(@Param(description = "what to echo") String text) {
    }

    record RepeatArgs(String word, @Param(minimum = 1, maximum = 10, defaultValue = "1") int times) {
    }

    record NicknameArgs(Optional<String> nickname, @JsonProperty("display_name") String displayName) {
    }

    record Sum(int total) {
    }

    private final AtomicReference<Object> received = new AtomicReference<>();

    private McpServer server() {
        return McpServer.builder("t", "1")
                .tool(Tool.builder("echo").description("Echo")
                        .annotations(ToolAnnotations.readOnly("Echo"))
                        .handler(EchoArgs.class, (args, ctx) -> ToolResult.text(args.text())))
                .tool(Tool.builder("repeat").handler(RepeatArgs.class, (args, ctx) -> {
                    received.set(args);
                    return ToolResult.text(args.word().repeat(args.times()));
                }))
                .tool(Tool.builder("nickname").handler(NicknameArgs.class, (args, ctx) -> {
                    received.set(args);
                    return ToolResult.text(args.displayName() + args.nickname().map(n -> " aka " + n).orElse(""));
                }))
                .tool(Tool.builder("sum")
                        .inputSchema("""
                                {"type": "object",
                                 "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}},
                                 "required": ["a", "b"]}
                                """)
                        .outputSchema(Sum.class)
                        .handler((args, ctx) -> ToolResult.structured(new Sum(args.get("a").intValue()
                                + args.get("b").intValue()))))
                .tool(Tool.builder("lying-sum").outputSchema(Sum.class)
                        .handler((args, ctx) -> ToolResult.text("I forgot the structure")))
                .tool(Tool.builder("wrong-sum").outputSchema(Sum.class)
                        .handler((args, ctx) -> ToolResult.structured(json("{\"total\": \"many\"}"))))
                .tool(Tool.builder("quota").handler((args, ctx) -> {
                    throw new ToolExecutionException("Daily quota exceeded");
                }))
                .tool(Tool.builder("crash").handler((args, ctx) -> {
                    throw new IllegalStateException("secret detail: password=hunter2");
                }))
                .tool(Tool.builder("checked").handler((args, ctx) -> {
                    throw new IOException("secret detail: /etc/shadow");
                }))
                .build();
    }

    private final Wire wire = new Wire(server());

    private static String text(JsonNode result) {
        return result.get("content").get(0).get("text").stringValue();
    }

    // --- lookup and params

    @ParameterizedTest
    @ValueSource(strings = {"nope", "ECHO", "ech", "echo ", "echo2", "sum/echo"})
    void unknown_tool_name_is_invalid_params_and_never_runs_another_tool(String name) {
        JsonRpcError error = wire.error("tools/call", """
                {"name": "%s", "arguments": {"text": "hi"}}
                """.formatted(name));

        assertThat(error.code()).isEqualTo(JsonRpcErrorCodes.INVALID_PARAMS);
        assertThat(error.message()).startsWith("Unknown tool");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"name\": 5}", "{\"name\": null}", "{\"arguments\": {}}"})
    void missing_or_non_string_tool_name_is_invalid_params(String params) {
        assertThat(wire.error("tools/call", params).code()).isEqualTo(JsonRpcErrorCodes.INVALID_PARAMS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"text\"", "[1]", "7", "true"})
    void arguments_that_are_not_an_object_are_invalid_params(String arguments) {
        JsonRpcError error = wire.error("tools/call", """
                {"name": "echo", "arguments": %s}
                """.formatted(arguments));

        assertThat(error.code()).isEqualTo(JsonRpcErrorCodes.INVALID_PARAMS);
    }

    // --- success

    @Test
    void tool_call_returns_the_handler_result() {
        assertThat(wire.result("tools/call", """
                {"name": "echo", "arguments": {"text": "hello"}}
                """)).isEqualTo(json("""
                {"content": [{"type": "text", "text": "hello"}], "isError": false}
                """));
    }

    @Test
    void record_arguments_get_schema_defaults_for_omitted_components() {
        JsonNode result = wire.result("tools/call", """
                {"name": "repeat", "arguments": {"word": "ab"}}
                """);

        assertThat(received.get()).isEqualTo(new RepeatArgs("ab", 1));
        assertThat(text(result)).isEqualTo("ab");
    }

    @Test
    void record_arguments_given_explicitly_override_the_default() {
        wire.result("tools/call", """
                {"name": "repeat", "arguments": {"word": "ab", "times": 3}}
                """);

        assertThat(received.get()).isEqualTo(new RepeatArgs("ab", 3));
    }

    @Test
    void omitted_optional_record_component_arrives_as_empty_not_null() {
        JsonNode result = wire.result("tools/call", """
                {"name": "nickname", "arguments": {"display_name": "Ada"}}
                """);

        assertThat(received.get()).isEqualTo(new NicknameArgs(Optional.empty(), "Ada"));
        assertThat(result.get("isError").booleanValue()).isFalse();
    }

    @Test
    void record_component_renamed_with_json_property_is_read_under_that_name() {
        JsonNode result = wire.result("tools/call", """
                {"name": "nickname", "arguments": {"display_name": "Ada", "nickname": "Countess"}}
                """);

        assertThat(received.get()).isEqualTo(new NicknameArgs(Optional.of("Countess"), "Ada"));
        assertThat(text(result)).isEqualTo("Ada aka Countess");
    }

    @Test
    void tool_with_an_output_schema_returns_structured_content_and_a_text_copy() {
        JsonNode result = wire.result("tools/call", """
                {"name": "sum", "arguments": {"a": 2, "b": 3}}
                """);

        assertThat(result.get("structuredContent")).isEqualTo(json("{\"total\": 5}"));
        assertThat(result.get("isError").booleanValue()).isFalse();
        assertThat(json(text(result))).isEqualTo(json("{\"total\": 5}"));
    }

    @Test
    void tools_list_shows_schemas_and_annotations() {
        JsonNode tools = wire.result("tools/list", "{}").get("tools");

        assertThat(tools.get(0)).isEqualTo(json("""
                {"name": "echo", "description": "Echo",
                 "inputSchema": {"type": "object",
                                 "properties": {"text": {"type": "string", "description": "what to echo"}},
                                 "required": ["text"]},
                 "annotations": {"title": "Echo", "readOnlyHint": true, "destructiveHint": false,
                                 "idempotentHint": true, "openWorldHint": false}}
                """));
        assertThat(tools.get(3).get("outputSchema")).isEqualTo(json("""
                {"type": "object", "properties": {"total": {"type": "integer"}}, "required": ["total"]}
                """));
    }

    // --- failures the model should see

    @Test
    void arguments_failing_the_input_schema_are_an_error_result_not_a_protocol_error() {
        JsonNode result = wire.result("tools/call", """
                {"name": "repeat", "arguments": {"word": "ab", "times": 99}}
                """);

        assertThat(result.get("isError").booleanValue()).isTrue();
        assertThat(text(result)).startsWith("Invalid arguments for tool repeat").contains("times");
        assertThat(received.get()).isNull();
    }

    @Test
    void missing_required_argument_is_an_error_result_naming_it() {
        JsonNode result = wire.result("tools/call", """
                {"name": "echo", "arguments": {}}
                """);

        assertThat(result.get("isError").booleanValue()).isTrue();
        assertThat(text(result)).contains("text");
    }

    @Test
    void arguments_of_the_wrong_type_are_an_error_result() {
        JsonNode result = wire.result("tools/call", """
                {"name": "sum", "arguments": {"a": "two", "b": 3}}
                """);

        assertThat(result.get("isError").booleanValue()).isTrue();
        assertThat(result.has("structuredContent")).isFalse();
    }

    @Test
    void arguments_to_a_tool_without_parameters_are_an_error_result() {
        JsonNode result = wire.result("tools/call", """
                {"name": "quota", "arguments": {"unexpected": 1}}
                """);

        assertThat(result.get("isError").booleanValue()).isTrue();
        assertThat(text(result)).startsWith("Invalid arguments for tool quota");
    }

    @Test
    void tool_execution_exception_becomes_an_error_result_with_its_message() {
        assertThat(wire.result("tools/call", """
                {"name": "quota"}
                """)).isEqualTo(json("""
                {"content": [{"type": "text", "text": "Daily quota exceeded"}], "isError": true}
                """));
    }

    // --- server faults

    @ParameterizedTest
    @ValueSource(strings = {"crash", "checked"})
    void unexpected_exception_is_internal_error_without_its_detail(String tool) {
        Optional<JsonRpcMessage> answer = wire.send("tools/call", """
                {"name": "%s"}
                """.formatted(tool));

        assertThat(answer).get().isInstanceOfSatisfying(JsonRpcMessage.ErrorResponse.class, e -> {
            assertThat(e.error().code()).isEqualTo(JsonRpcErrorCodes.INTERNAL_ERROR);
            assertThat(e.error().message()).isEqualTo("Internal error").doesNotContain("secret detail");
            assertThat(e.error().data()).isNull();
        });
        assertThat(new String(JsonRpcCodec.write(answer.orElseThrow()), StandardCharsets.UTF_8))
                .doesNotContain("secret", "hunter2", "shadow");
    }

    @Test
    void tool_declaring_an_output_schema_without_structured_content_is_internal_error() {
        JsonRpcError error = wire.error("tools/call", """
                {"name": "lying-sum"}
                """);

        assertThat(error.code()).isEqualTo(JsonRpcErrorCodes.INTERNAL_ERROR);
        assertThat(error.message()).isEqualTo("Internal error");
    }

    @Test
    void structured_content_failing_the_output_schema_is_internal_error() {
        JsonRpcError error = wire.error("tools/call", """
                {"name": "wrong-sum"}
                """);

        assertThat(error.code()).isEqualTo(JsonRpcErrorCodes.INTERNAL_ERROR);
    }

    @Test
    void a_failed_call_does_not_leave_the_request_in_flight() {
        McpSession session = new Sessions(Duration.ofMinutes(5), 100, 10, Clock.systemUTC())
                .create(Caller.anonymous(), Wire.LATEST);
        Wire stateful = new Wire(server(), session);

        stateful.error("tools/call", "{\"name\": \"crash\"}");

        assertThat(session.inFlight(IntNode.valueOf(1))).isEmpty();
    }

    @Test
    void a_tool_whose_schema_the_validator_cannot_use_fails_when_the_server_is_built() {
        Tool odd = Tool.builder("odd").inputSchema("{\"$schema\": \"https://example.com/unknown\", \"type\": \"object\"}")
                .handler((args, ctx) -> ToolResult.text("x"));

        assertThatThrownBy(() -> McpServer.builder("t", "1").tool(odd).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tool odd");
    }
}
