package io.gatehouse.mcp.internal.server;

import static io.gatehouse.mcp.internal.server.Wire.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.mcp.content.ResourceContents;
import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.context.LogLevel;
import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcError;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcErrorCodes;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import io.gatehouse.mcp.prompts.Prompt;
import io.gatehouse.mcp.prompts.PromptResult;
import io.gatehouse.mcp.resources.Resource;
import io.gatehouse.mcp.resources.ResourceTemplate;
import io.gatehouse.mcp.tools.Tool;
import io.gatehouse.mcp.tools.ToolResult;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.ObjectNode;

/** The engine's answers to MCP 2026-07-28 requests, served with a transient {@link McpSession#modern modern session}. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class McpServerModernTest {

    private static McpServer.Builder features() {
        return McpServer.builder("t", "1.2").instructions("be nice").pageSize(1)
                .tool(Tool.builder("hello").handler((args, ctx) -> ToolResult.text("hello")))
                .tool(Tool.builder("chatty").handler((args, ctx) -> {
                    ctx.log(LogLevel.DEBUG, "t", "debug line");
                    ctx.log(LogLevel.WARNING, "t", "warning line");
                    return ToolResult.text("done");
                }))
                .tool(Tool.builder("sample").handler((args, ctx) -> {
                    ctx.createMessage(Json.object());
                    return ToolResult.text("sampled");
                }))
                .prompt(Prompt.builder("greet").handler((args, ctx) -> PromptResult.of("greeting", io.gatehouse.mcp.prompts.PromptMessage.user("hi"))))
                .resource(Resource.builder("test://a").reader((uri, vars, ctx) -> List.of(ResourceContents.text(uri, "text/plain", "a"))))
                .resourceTemplate(ResourceTemplate.builder("test://t/{x}").reader((uri, vars, ctx) -> List.of()))
                .resourceTemplate(ResourceTemplate.builder("test://u/{x}").reader((uri, vars, ctx) -> List.of()));
    }

    private final McpServer server = features().build();
    private final Wire wire = new Wire(server, McpSession.modern(json("{}"), null, null));

    @Test
    @Tag("B-2")
    @Tag("B-8")
    void every_result_carries_result_type_complete_and_the_server_info_in_its_meta() {
        for (String method : List.of("tools/list", "prompts/list", "resources/list", "resources/templates/list", "server/discover")) {
            JsonNode result = wire.result(method, "{}");
            assertThat(result.path("resultType").asString()).as(method).isEqualTo("complete");
            assertThat(result.path("_meta").path("io.modelcontextprotocol/serverInfo")).as(method)
                    .isEqualTo(json("{\"name\": \"t\", \"version\": \"1.2\"}"));
        }
        JsonNode call = wire.result("tools/call", "{\"name\": \"hello\"}");
        assertThat(call.path("resultType").asString()).isEqualTo("complete");
        assertThat(call.path("content").get(0).path("text").asString()).isEqualTo("hello");
    }

    @Test
    @Tag("B-2")
    void a_result_type_the_handler_set_is_kept() {
        ModernResults results = new ModernResults(json("{\"name\": \"t\", \"version\": \"1\"}"), false);
        ObjectNode inputRequired = Json.object();
        inputRequired.put("resultType", "input_required");
        JsonNode shaped = Json.MAPPER.valueToTree(results.complete("tools/call", Json.object(), inputRequired, Caller.anonymous()));
        assertThat(shaped.path("resultType").asString()).isEqualTo("input_required");
        assertThat(shaped.has("ttlMs")).as("input_required results carry no caching hints").isFalse();
    }

    @Test
    @Tag("D-1")
    @Tag("D-2")
    @Tag("D-3")
    void discover_lists_both_eras_and_exactly_the_served_capabilities() {
        JsonNode result = wire.result("server/discover", "{}");
        assertThat(result.path("supportedVersions")).isEqualTo(json("[\"2026-07-28\", \"2025-11-25\", \"2025-06-18\", \"2025-03-26\"]"));
        assertThat(result.path("instructions").asString()).isEqualTo("be nice");
        assertThat(result.path("capabilities").path("tools").isObject()).isTrue();
        assertThat(result.path("capabilities").path("prompts").isObject()).isTrue();
        assertThat(result.path("capabilities").path("resources").path("subscribe").asBoolean())
                .as("subscriptions/listen delivers resource updates").isTrue();
        assertThat(result.path("capabilities").path("tools").path("listChanged").asBoolean())
                .as("no list ever changes, so none is announced").isFalse();
        assertThat(result.path("capabilities").has("completions")).isFalse();
        assertThat(result.path("ttlMs").asLong()).isPositive();
        assertThat(result.path("cacheScope").asString()).isEqualTo("public");
    }

    @Test
    @Tag("D-1")
    void discover_does_not_exist_for_a_legacy_session() {
        Wire legacy = new Wire(server);
        assertThat(legacy.error("server/discover", "{}").code()).isEqualTo(JsonRpcErrorCodes.METHOD_NOT_FOUND);
    }

    @ParameterizedTest
    @ValueSource(strings = {"initialize", "ping", "logging/setLevel", "resources/subscribe", "resources/unsubscribe", "unknown/method"})
    @Tag("H-11")
    void removed_methods_are_unknown_on_the_modern_path(String method) {
        assertThat(wire.error(method, "{\"uri\": \"test://a\", \"level\": \"info\"}").code()).isEqualTo(JsonRpcErrorCodes.METHOD_NOT_FOUND);
    }

    @Test
    @Tag("F-2")
    void lists_and_reads_carry_caching_hints_public_when_the_policy_shows_everyone_the_same() {
        for (String method : List.of("tools/list", "prompts/list", "resources/list", "resources/templates/list")) {
            JsonNode result = wire.result(method, "{}");
            assertThat(result.path("ttlMs").isIntegralNumber()).as(method).isTrue();
            assertThat(result.path("ttlMs").asLong()).as(method).isNotNegative();
            assertThat(result.path("cacheScope").asString()).as(method).isEqualTo("public");
        }
        JsonNode read = wire.result("resources/read", "{\"uri\": \"test://a\"}");
        assertThat(read.path("ttlMs").asLong()).isZero();
        assertThat(read.path("cacheScope").asString()).isEqualTo("public");
        assertThat(wire.result("tools/call", "{\"name\": \"hello\"}").has("cacheScope")).isFalse();
    }

    @Test
    @Tag("F-2")
    @Tag("F-3")
    @Tag("attack")
    void a_list_the_policy_filters_is_private_on_every_page_and_an_authenticated_read_is_private() {
        McpServer filtered = features().accessPolicy(new AccessPolicy() {
            @Override
            public Optional<Denial> check(Caller caller, String method, ObjectNode params, Requirement declared) {
                return Optional.empty();
            }

            @Override
            public boolean canSee(Caller caller, Feature feature, String name, Requirement declared) {
                return true;
            }
        }).build();
        Wire modern = new Wire(filtered, McpSession.modern(json("{}"), null, null));
        JsonNode first = modern.result("resources/templates/list", "{}");
        assertThat(first.path("resourceTemplates")).hasSize(1);
        JsonNode second = modern.result("resources/templates/list", "{\"cursor\": \"" + first.path("nextCursor").asString() + "\"}");
        assertThat(second.path("resourceTemplates")).hasSize(1);
        assertThat(List.of(first, second)).allSatisfy(page -> assertThat(page.path("cacheScope").asString()).isEqualTo("private"));

        Caller alice = new Caller("https://as", "alice", "alice", "c", Set.of("mcp:read"), Set.of(), Instant.MAX);
        JsonRpcMessage read = server.handle(new JsonRpcMessage.Request(IntNode.valueOf(1), "resources/read",
                Wire.params("{\"uri\": \"test://a\"}")), McpSession.modern(json("{}"), null, null), alice, m -> false).orElseThrow();
        assertThat(Wire.onWire(read).path("result").path("cacheScope").asString()).isEqualTo("private");
    }

    @Test
    @Tag("F-4")
    @Tag("B-4")
    void an_unknown_resource_is_invalid_params_with_its_uri_never_the_legacy_code() {
        JsonRpcError error = wire.error("resources/read", "{\"uri\": \"test://nope\"}");
        assertThat(error.code()).isEqualTo(JsonRpcErrorCodes.INVALID_PARAMS);
        assertThat(error.data().path("uri").asString()).isEqualTo("test://nope");
        assertThat(new Wire(server).error("resources/read", "{\"uri\": \"test://nope\"}").code())
                .as("legacy sessions keep -32002").isEqualTo(JsonRpcErrorCodes.RESOURCE_NOT_FOUND);
    }

    @Test
    @Tag("B-7")
    void a_handler_needing_an_undeclared_capability_is_refused_with_the_capability_named() {
        JsonRpcError error = wire.error("tools/call", "{\"name\": \"sample\"}");
        assertThat(error.code()).isEqualTo(JsonRpcErrorCodes.MISSING_CLIENT_CAPABILITY);
        assertThat(error.data()).isEqualTo(json("{\"requiredCapabilities\": {\"sampling\": {}}}"));
    }

    @Test
    @Tag("L-1")
    void without_a_log_level_a_modern_request_gets_no_log_messages() {
        wire.result("tools/call", "{\"name\": \"chatty\"}");
        assertThat(wire.notifications("notifications/message")).isEmpty();
    }

    @Test
    @Tag("L-1")
    void with_a_log_level_only_messages_at_or_above_it_are_sent() {
        Wire warned = new Wire(server, McpSession.modern(json("{}"), null, LogLevel.WARNING));
        warned.result("tools/call", "{\"name\": \"chatty\"}");
        assertThat(warned.notifications("notifications/message")).singleElement()
                .satisfies(n -> assertThat(n.params().path("level").asString()).isEqualTo("warning"));
    }

    @Test
    @Tag("B-6")
    void a_modern_session_keeps_what_the_request_declared_bounded() {
        McpSession session = McpSession.modern(json("{\"sampling\": {}}"), json("{\"name\": \"c\", \"secret\": \"x\"}"), LogLevel.INFO);
        assertThat(session.modern()).isTrue();
        assertThat(session.isTransient()).isTrue();
        assertThat(session.protocolVersion()).isEqualTo("2026-07-28");
        assertThat(session.clientCapabilities().has("sampling")).isTrue();
        assertThat(session.clientInfo()).hasValue(json("{\"name\": \"c\"}"));
        assertThat(session.logLevel()).hasValue(LogLevel.INFO);
        assertThat(McpSession.transientSession("2025-11-25").modern()).isFalse();
    }
}
