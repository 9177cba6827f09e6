package io.gatehouse.mcp.internal.server;

import static io.gatehouse.mcp.internal.server.Wire.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.mcp.completion.Completer;
import io.gatehouse.mcp.content.ResourceContents;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcError;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcErrorCodes;
import io.gatehouse.mcp.prompts.Prompt;
import io.gatehouse.mcp.prompts.PromptMessage;
import io.gatehouse.mcp.prompts.PromptResult;
import io.gatehouse.mcp.resources.ResourceTemplate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class McpServerPromptsTest {

    private final AtomicReference<Map<String, String>> completerSaw = new AtomicReference<>();

    private McpServer server() {
        return McpServer.builder("t", "1")
                .prompt(Prompt.builder("review").title("Code review").description("Review code")
                        .argument("code", "the code", true)
                        .argument("language", "its language", false,
                                Completer.of(List.of("python", "perl", "java", "javascript")))
                        .handler((args, ctx) -> PromptResult.of("Review of " + args.getOrDefault("language", "code"),
                                PromptMessage.user("Please review: " + args.get("code")),
                                PromptMessage.assistant("Sure."))))
                .prompt(Prompt.builder("numbers")
                        .argument("n", "a number", false, (prefix, chosen) -> {
                            completerSaw.set(chosen);
                            return IntStream.range(0, 150).mapToObj(String::valueOf)
                                    .filter(v -> v.startsWith(prefix)).toList();
                        })
                        .handler((args, ctx) -> PromptResult.of(null, PromptMessage.user("n"))))
                .prompt(Prompt.builder("broken").handler((args, ctx) -> {
                    throw new IllegalStateException("secret detail");
                }))
                .resourceTemplate(ResourceTemplate.builder("test://users/{user}/repos/{repo}")
                        .completer("repo", (prefix, chosen) -> List.of(chosen.getOrDefault("user", "?") + "/" + prefix + "x"))
                        .reader((uri, vars, ctx) -> List.of(ResourceContents.text(uri, null, "repo"))))
                .build();
    }

    private final Wire wire = new Wire(server());

    // --- prompts/get

    @Test
    void prompts_get_returns_the_messages() {
        assertThat(wire.result("prompts/get", """
                {"name": "review", "arguments": {"code": "x = 1", "language": "python"}}
                """)).isEqualTo(json("""
                {"description": "Review of python",
                 "messages": [{"role": "user", "content": {"type": "text", "text": "Please review: x = 1"}},
                              {"role": "assistant", "content": {"type": "text", "text": "Sure."}}]}
                """));
    }

    @Test
    void prompts_get_leaves_out_a_null_description() {
        assertThat(wire.result("prompts/get", "{\"name\": \"numbers\"}")).isEqualTo(json("""
                {"messages": [{"role": "user", "content": {"type": "text", "text": "n"}}]}
                """));
    }

    @Test
    void unknown_prompt_is_invalid_params() {
        JsonRpcError error = wire.error("prompts/get", "{\"name\": \"reviews\"}");

        assertThat(error.code()).isEqualTo(JsonRpcErrorCodes.INVALID_PARAMS);
        assertThat(error.message()).contains("Unknown prompt");
    }

    @Test
    void missing_prompt_name_is_invalid_params() {
        assertThat(wire.error("prompts/get", "{}").code()).isEqualTo(JsonRpcErrorCodes.INVALID_PARAMS);
    }

    @Test
    void missing_required_argument_is_invalid_params_naming_it() {
        JsonRpcError error = wire.error("prompts/get", """
                {"name": "review", "arguments": {"language": "python"}}
                """);

        assertThat(error.code()).isEqualTo(JsonRpcErrorCodes.INVALID_PARAMS);
        assertThat(error.message()).contains("code");
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "true", "null", "{\"a\": 1}", "[\"x\"]"})
    void non_string_argument_is_invalid_params(String value) {
        JsonRpcError error = wire.error("prompts/get", """
                {"name": "review", "arguments": {"code": %s}}
                """.formatted(value));

        assertThat(error.code()).isEqualTo(JsonRpcErrorCodes.INVALID_PARAMS);
    }

    @Test
    void arguments_that_are_not_an_object_are_invalid_params() {
        assertThat(wire.error("prompts/get", """
                {"name": "review", "arguments": ["code"]}
                """).code()).isEqualTo(JsonRpcErrorCodes.INVALID_PARAMS);
    }

    @Test
    void undeclared_argument_is_invalid_params() {
        JsonRpcError error = wire.error("prompts/get", """
                {"name": "review", "arguments": {"code": "x", "colour": "red"}}
                """);

        assertThat(error.code()).isEqualTo(JsonRpcErrorCodes.INVALID_PARAMS);
        assertThat(error.message()).contains("colour");
    }

    @Test
    void prompt_handler_failure_is_internal_error_without_its_detail() {
        JsonRpcError error = wire.error("prompts/get", "{\"name\": \"broken\"}");

        assertThat(error.code()).isEqualTo(JsonRpcErrorCodes.INTERNAL_ERROR);
        assertThat(error.message()).doesNotContain("secret detail");
    }

    // --- completion/complete

    @Test
    void completion_of_a_prompt_argument_returns_matching_values() {
        assertThat(wire.result("completion/complete", """
                {"ref": {"type": "ref/prompt", "name": "review"}, "argument": {"name": "language", "value": "ja"}}
                """)).isEqualTo(json("""
                {"completion": {"values": ["java", "javascript"], "total": 2, "hasMore": false}}
                """));
    }

    @Test
    void completion_returns_at_most_100_values_and_says_there_are_more() {
        JsonNode completion = wire.result("completion/complete", """
                {"ref": {"type": "ref/prompt", "name": "numbers"}, "argument": {"name": "n", "value": ""}}
                """).get("completion");

        assertThat(completion.get("values").size()).isEqualTo(100);
        assertThat(completion.get("values").get(0).stringValue()).isEqualTo("0");
        assertThat(completion.get("total").intValue()).isEqualTo(150);
        assertThat(completion.get("hasMore").booleanValue()).isTrue();
    }

    @Test
    void completion_passes_the_already_chosen_arguments_to_the_completer() {
        wire.result("completion/complete", """
                {"ref": {"type": "ref/prompt", "name": "numbers"}, "argument": {"name": "n", "value": "1"},
                 "context": {"arguments": {"other": "value"}}}
                """);

        assertThat(completerSaw.get()).isEqualTo(Map.of("other", "value"));
    }

    @Test
    void completion_of_an_argument_without_completer_is_empty() {
        assertThat(wire.result("completion/complete", """
                {"ref": {"type": "ref/prompt", "name": "review"}, "argument": {"name": "code", "value": "x"}}
                """)).isEqualTo(json("""
                {"completion": {"values": [], "total": 0, "hasMore": false}}
                """));
    }

    @Test
    void completion_of_a_resource_template_variable_uses_its_completer() {
        assertThat(wire.result("completion/complete", """
                {"ref": {"type": "ref/resource", "uri": "test://users/{user}/repos/{repo}"},
                 "argument": {"name": "repo", "value": "gate"},
                 "context": {"arguments": {"user": "ada"}}}
                """)).isEqualTo(json("""
                {"completion": {"values": ["ada/gatex"], "total": 1, "hasMore": false}}
                """));
    }

    @Test
    void completion_for_an_unknown_prompt_is_invalid_params() {
        JsonRpcError error = wire.error("completion/complete", """
                {"ref": {"type": "ref/prompt", "name": "nope"}, "argument": {"name": "language", "value": "p"}}
                """);

        assertThat(error.code()).isEqualTo(JsonRpcErrorCodes.INVALID_PARAMS);
        assertThat(error.message()).contains("nope");
    }

    @Test
    void completion_for_an_unknown_resource_template_is_invalid_params() {
        assertThat(wire.error("completion/complete", """
                {"ref": {"type": "ref/resource", "uri": "test://nope/{x}"}, "argument": {"name": "x", "value": ""}}
                """).code()).isEqualTo(JsonRpcErrorCodes.INVALID_PARAMS);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"ref\": {\"type\": \"ref/tool\", \"name\": \"review\"}, \"argument\": {\"name\": \"language\", \"value\": \"\"}}",
            "{\"ref\": {\"type\": \"ref/prompt\", \"name\": \"review\"}}",
            "{\"argument\": {\"name\": \"language\", \"value\": \"\"}}"})
    void malformed_completion_request_is_invalid_params(String params) {
        assertThat(wire.error("completion/complete", params).code()).isEqualTo(JsonRpcErrorCodes.INVALID_PARAMS);
    }
}
