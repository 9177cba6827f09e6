package io.gatehouse.mcp.internal.server;

import io.gatehouse.mcp.context.LogLevel;
import static io.gatehouse.mcp.internal.server.Wire.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.mcp.completion.Completer;
import io.gatehouse.mcp.content.ResourceContents;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcError;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcErrorCodes;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import io.gatehouse.mcp.prompts.Prompt;
import io.gatehouse.mcp.prompts.PromptMessage;
import io.gatehouse.mcp.prompts.PromptResult;
import io.gatehouse.mcp.resources.Resource;
import io.gatehouse.mcp.resources.ResourceTemplate;
import io.gatehouse.mcp.tools.Tool;
import io.gatehouse.mcp.tools.ToolResult;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class McpServerLifecycleTest {

    private static Tool tool(String name) {
        return Tool.builder(name).description("tool " + name).handler((args, ctx) -> ToolResult.text(name));
    }

    private static McpServer fullServer() {
        return McpServer.builder("t", "1")
                .tool(tool("a"))
                .tool(tool("b"))
                .tool(tool("c"))
                .prompt(Prompt.builder("greet")
                        .argument("language", "a language", true, Completer.of(List.of("python", "perl")))
                        .handler((args, ctx) -> PromptResult.of(null, PromptMessage.user("hi"))))
                .resource(Resource.builder("test://static").reader((uri, vars, ctx) ->
                        List.of(ResourceContents.text(uri, "text/plain", "static"))))
                .resourceTemplate(ResourceTemplate.builder("test://template/{id}/data").reader((uri, vars, ctx) ->
                        List.of(ResourceContents.text(uri, "text/plain", vars.get("id")))))
                .pageSize(2)
                .build();
    }

    private static McpServer toolsOnly() {
        return McpServer.builder("t", "1").tool(tool("a")).build();
    }

    // --- initialize

    @ParameterizedTest
    @CsvSource({
            "2025-11-25, 2025-11-25",
            "2025-06-18, 2025-06-18",
            "2025-03-26, 2025-03-26",
            "1999-01-01, 2025-11-25",
            "2099-12-31, 2025-11-25"})
    void initialize_answers_the_requested_revision_when_supported_and_the_latest_otherwise(String requested,
                                                                                           String negotiated) {
        Wire wire = new Wire(fullServer());

        JsonNode result = wire.result("initialize", """
                {"protocolVersion": "%s", "capabilities": {}, "clientInfo": {"name": "c", "version": "1"}}
                """.formatted(requested));

        assertThat(result.get("protocolVersion").stringValue()).isEqualTo(negotiated);
        assertThat(wire.session.protocolVersion()).isEqualTo(negotiated);
    }

    @Test
    void initialize_without_protocol_version_is_invalid_params() {
        JsonRpcError error = new Wire(fullServer()).error("initialize", """
                {"capabilities": {}, "clientInfo": {"name": "c", "version": "1"}}
                """);

        assertThat(error.code()).isEqualTo(JsonRpcErrorCodes.INVALID_PARAMS);
        assertThat(error.message()).contains("protocolVersion");
    }

    @Test
    void initialize_with_a_non_string_protocol_version_is_invalid_params() {
        JsonRpcError error = new Wire(fullServer()).error("initialize", """
                {"protocolVersion": 20251125, "capabilities": {}}
                """);

        assertThat(error.code()).isEqualTo(JsonRpcErrorCodes.INVALID_PARAMS);
    }

    @Test
    void initialize_returns_server_info_and_instructions() {
        McpServer server = McpServer.builder("t", "1").title("Test server").instructions("Be nice").build();

        JsonNode result = new Wire(server).initialize("{}");

        assertThat(result).isEqualTo(json("""
                {"protocolVersion": "2025-11-25",
                 "capabilities": {"logging": {}},
                 "serverInfo": {"name": "t", "version": "1", "title": "Test server"},
                 "instructions": "Be nice"}
                """));
    }

    @Test
    void initialize_remembers_the_client_capabilities_and_info() {
        Wire wire = new Wire(fullServer());

        wire.initialize("{\"sampling\": {}}");

        assertThat(wire.session.knowsClientCapabilities()).isTrue();
        assertThat(wire.session.clientCapabilities()).isEqualTo(json("{\"sampling\": {}}"));
        assertThat(wire.session.clientInfo()).contains(json("{\"name\": \"test\", \"version\": \"1\"}"));
    }

    @Test
    void capabilities_declare_every_registered_feature() {
        JsonNode result = new Wire(fullServer()).initialize("{}");

        assertThat(result.get("capabilities")).isEqualTo(json("""
                {"logging": {},
                 "tools": {"listChanged": false},
                 "prompts": {"listChanged": false},
                 "resources": {"subscribe": true, "listChanged": false},
                 "completions": {}}
                """));
    }

    @Test
    void capabilities_of_a_server_with_only_tools_declare_only_tools_and_logging() {
        JsonNode result = new Wire(toolsOnly()).initialize("{}");

        assertThat(result.get("capabilities")).isEqualTo(json("""
                {"logging": {}, "tools": {"listChanged": false}}
                """));
    }

    @ParameterizedTest
    @ValueSource(strings = {"prompts/list", "prompts/get", "resources/list", "resources/read",
            "resources/templates/list", "resources/subscribe", "completion/complete"})
    void methods_of_features_that_are_not_registered_do_not_exist(String method) {
        JsonRpcError error = new Wire(toolsOnly()).error(method, "{}");

        assertThat(error.code()).isEqualTo(JsonRpcErrorCodes.METHOD_NOT_FOUND);
    }

    @Test
    void capabilities_of_an_empty_server_declare_only_logging() {
        McpServer server = McpServer.builder("t", "1").build();

        assertThat(new Wire(server).initialize("{}").get("capabilities")).isEqualTo(json("{\"logging\": {}}"));
        assertThat(new Wire(server).error("tools/list", "{}").code()).isEqualTo(JsonRpcErrorCodes.METHOD_NOT_FOUND);
    }

    @Test
    void server_without_subscriptions_declares_subscribe_false_and_has_no_subscribe_method() {
        McpServer server = McpServer.builder("t", "1")
                .resource(Resource.builder("test://static").reader((uri, vars, ctx) ->
                        List.of(ResourceContents.text(uri, "text/plain", "static"))))
                .subscriptions(false)
                .build();
        Wire wire = new Wire(server);

        assertThat(wire.initialize("{}").get("capabilities").get("resources")).isEqualTo(json("""
                {"subscribe": false, "listChanged": false}
                """));
        assertThat(wire.error("resources/subscribe", "{\"uri\": \"test://static\"}").code())
                .isEqualTo(JsonRpcErrorCodes.METHOD_NOT_FOUND);
        assertThat(wire.error("resources/unsubscribe", "{\"uri\": \"test://static\"}").code())
                .isEqualTo(JsonRpcErrorCodes.METHOD_NOT_FOUND);
    }

    @Test
    void capabilities_accessor_returns_a_copy_that_cannot_change_the_server() {
        McpServer server = toolsOnly();

        server.capabilities().putObject("prompts");

        assertThat(server.capabilities().has("prompts")).isFalse();
    }

    // --- base protocol

    @Test
    void unknown_method_is_method_not_found() {
        JsonRpcError error = new Wire(fullServer()).error("tools/destroy", "{}");

        assertThat(error.code()).isEqualTo(JsonRpcErrorCodes.METHOD_NOT_FOUND);
        assertThat(error.message()).contains("tools/destroy");
    }

    @Test
    void ping_answers_an_empty_object() {
        assertThat(new Wire(fullServer()).result("ping", "{}")).isEqualTo(json("{}"));
    }

    @Test
    void error_response_echoes_the_request_id() {
        Wire wire = new Wire(fullServer());

        JsonNode onWire = Wire.onWire(wire.server.handle(
                new JsonRpcMessage.Request(json("\"req-77\""), "nope", Wire.params("{}")),
                wire.session, wire.caller, wire.sink).orElseThrow());

        assertThat(onWire).isEqualTo(json("""
                {"jsonrpc": "2.0", "id": "req-77", "error": {"code": -32601, "message": "Method not found: nope"}}
                """));
    }

    @Test
    void unknown_notifications_are_ignored() {
        Wire wire = new Wire(fullServer());

        wire.server.handleNotification(new JsonRpcMessage.Notification(
                "notifications/whatever", Wire.params("{}")), wire.session);

        assertThat(wire.sent).isEmpty();
        assertThat(wire.result("ping", "{}")).isEqualTo(json("{}"));
    }

    // --- pagination

    @Test
    void tools_list_is_paginated_by_the_page_size_with_a_next_cursor() {
        Wire wire = new Wire(fullServer());

        JsonNode first = wire.result("tools/list", "{}");
        assertThat(first.get("tools")).extracting(t -> t.get("name").stringValue()).containsExactly("a", "b");
        assertThat(first.get("nextCursor").isString()).isTrue();

        JsonNode second = wire.result("tools/list", """
                {"cursor": "%s"}
                """.formatted(first.get("nextCursor").stringValue()));
        assertThat(second.get("tools")).extracting(t -> t.get("name").stringValue()).containsExactly("c");
        assertThat(second.has("nextCursor")).isFalse();
    }

    @Test
    void tools_list_shows_each_tool_descriptor() {
        JsonNode first = new Wire(fullServer()).result("tools/list", "{}");

        assertThat(first.get("tools").get(0)).isEqualTo(json("""
                {"name": "a", "description": "tool a",
                 "inputSchema": {"type": "object", "additionalProperties": false}}
                """));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"garbage\"", "\"\"", "\"Z2gxOjk5\"", "\"Z2gxOi0x\"", "17"})
    void tools_list_with_a_cursor_the_server_did_not_issue_is_invalid_params(String cursor) {
        // Z2gxOjk5 is "gh1:99" (past the end), Z2gxOi0x is "gh1:-1"
        JsonRpcError error = new Wire(fullServer()).error("tools/list", """
                {"cursor": %s}
                """.formatted(cursor));

        assertThat(error.code()).isEqualTo(JsonRpcErrorCodes.INVALID_PARAMS);
    }

    @Test
    void a_list_that_fits_in_one_page_has_no_next_cursor() {
        JsonNode prompts = new Wire(fullServer()).result("prompts/list", "{}");

        assertThat(prompts).isEqualTo(json("""
                {"prompts": [{"name": "greet", "description": "",
                              "arguments": [{"name": "language", "description": "a language", "required": true}]}]}
                """));
    }

    @Test
    void resources_and_templates_are_listed_separately() {
        Wire wire = new Wire(fullServer());

        assertThat(wire.result("resources/list", "{}")).isEqualTo(json("""
                {"resources": [{"uri": "test://static", "name": "test://static", "description": ""}]}
                """));
        assertThat(wire.result("resources/templates/list", "{}")).isEqualTo(json("""
                {"resourceTemplates": [{"uriTemplate": "test://template/{id}/data",
                                        "name": "test://template/{id}/data", "description": ""}]}
                """));
    }

    // --- logging/setLevel

    @ParameterizedTest
    @ValueSource(strings = {"{\"level\": \"verbose\"}", "{\"level\": \"WARNING\"}", "{\"level\": 3}", "{}"})
    void set_level_with_an_invalid_level_is_invalid_params(String params) {
        Wire wire = new Wire(fullServer());

        assertThat(wire.error("logging/setLevel", params).code()).isEqualTo(JsonRpcErrorCodes.INVALID_PARAMS);
        assertThat(wire.session.logLevel()).isEmpty();
    }

    @Test
    void set_level_with_a_valid_level_is_remembered_on_the_session() {
        Wire wire = new Wire(fullServer());

        assertThat(wire.result("logging/setLevel", "{\"level\": \"warning\"}")).isEqualTo(json("{}"));
        assertThat(wire.session.logLevel()).contains(LogLevel.WARNING);
    }
}
