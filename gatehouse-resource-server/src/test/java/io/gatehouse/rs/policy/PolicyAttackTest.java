package io.gatehouse.rs.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.mcp.completion.Completer;
import io.gatehouse.mcp.content.ResourceContents;
import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import io.gatehouse.mcp.internal.server.McpServer;
import io.gatehouse.mcp.prompts.Prompt;
import io.gatehouse.mcp.prompts.PromptMessage;
import io.gatehouse.mcp.prompts.PromptResult;
import io.gatehouse.mcp.resources.Resource;
import io.gatehouse.mcp.resources.ResourceTemplate;
import io.gatehouse.mcp.tools.Tool;
import io.gatehouse.mcp.tools.ToolResult;
import io.gatehouse.rs.policy.ScopePolicy.Rule;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Review of issue 11: the engine hands declarations to the real {@link ScopePolicy}; can a caller holding only the
 * base scopes reach a protected prompt, resource or template through another method or another spelling?
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("attack")
@Tag("RS-11")
class PolicyAttackTest {

    private static final Caller BASE = new Caller("https://issuer.example", "u", "mallory", "c",
            Set.of("mcp:read", "mcp:tools", "mcp:prompts"), Set.of(), Instant.MAX);

    private static McpServer server(ScopePolicy policy) {
        return McpServer.builder("t", "1")
                .tool(Tool.builder("deploy").requiredScopes("ops:deploy").handler((args, ctx) -> ToolResult.text("ok")))
                .prompt(Prompt.builder("review").requiredScopes("review:code")
                        .argument("language", "its language", false, Completer.of(List.of("java")))
                        .handler((args, ctx) -> PromptResult.of(null, PromptMessage.user("review"))))
                .resource(Resource.builder("test://secret").requiredScopes("secret:read")
                        .reader((uri, vars, ctx) -> List.of(ResourceContents.text(uri, null, "s"))))
                .resourceTemplate(ResourceTemplate.builder("test://notes/{name}").requiredScopes("notes:read")
                        .completer("name", Completer.of(List.of("todo")))
                        .reader((uri, vars, ctx) -> List.of(ResourceContents.text(uri, null, "n"))))
                .resourceTemplate(ResourceTemplate.builder("test://diary/{day}")
                        .reader((uri, vars, ctx) -> List.of(ResourceContents.text(uri, null, "d"))))
                .accessPolicy(policy)
                .build();
    }

    private static final McpServer DECLARED = server(new ScopePolicy(Map.of(), Map.of(), Map.of(), Map.of()));

    private static boolean allowed(McpServer server, String method, ObjectNode params) {
        return server.authorize(new JsonRpcMessage.Request(IntNode.valueOf(1), method, params), BASE).isEmpty();
    }

    private static ObjectNode ref(String type, String key, String value) {
        ObjectNode params = Json.object();
        params.putObject("ref").put("type", type).put(key, value);
        params.putObject("argument").put("name", "x").put("value", "");
        return params;
    }

    @Test
    void a_protected_tool_prompt_resource_or_template_is_refused_to_the_base_scopes_by_every_method() {
        assertThat(allowed(DECLARED, "tools/call", Json.object().put("name", "deploy"))).isFalse();
        assertThat(allowed(DECLARED, "prompts/get", Json.object().put("name", "review"))).isFalse();
        assertThat(allowed(DECLARED, "completion/complete", ref("ref/prompt", "name", "review"))).isFalse();
        assertThat(allowed(DECLARED, "resources/read", Json.object().put("uri", "test://secret"))).isFalse();
        assertThat(allowed(DECLARED, "resources/subscribe", Json.object().put("uri", "test://secret"))).isFalse();
        assertThat(allowed(DECLARED, "resources/read", Json.object().put("uri", "test://notes/todo"))).isFalse();
        assertThat(allowed(DECLARED, "resources/subscribe", Json.object().put("uri", "test://notes/todo"))).isFalse();
        assertThat(allowed(DECLARED, "completion/complete", ref("ref/resource", "uri", "test://notes/{name}"))).isFalse();
    }

    @Test
    void a_scope_declared_under_a_base_scope_is_satisfied_by_the_base_scope_alone() {
        // RS-13 hierarchy: mcp:tools satisfies mcp:tools:deploy, so such a declaration restricts only tokens that lack
        // mcp:tools itself; a scope outside the base hierarchy (or a role) is what restricts every caller
        McpServer nested = McpServer.builder("t", "1")
                .tool(Tool.builder("deploy").requiredScopes("mcp:tools:deploy").handler((args, ctx) -> ToolResult.text("ok")))
                .accessPolicy(new ScopePolicy(Map.of(), Map.of(), Map.of(), Map.of())).build();
        assertThat(allowed(nested, "tools/call", Json.object().put("name", "deploy"))).isTrue();
    }

    @Test
    void an_access_rule_configured_for_a_template_guards_its_listing_completion_reading_and_subscribing() {
        McpServer configured = server(new ScopePolicy(Map.of(), Map.of(),
                Map.of("test://diary/{day}", new Rule(Set.of("diary:read"), Set.of())), Map.of()));
        assertThat(configured.authorize(new JsonRpcMessage.Request(IntNode.valueOf(1), "resources/templates/list", Json.object()), BASE))
                .isEmpty();
        assertThat(allowed(configured, "completion/complete", ref("ref/resource", "uri", "test://diary/{day}")))
                .as("completion of the template").isFalse();
        assertThat(allowed(configured, "resources/read", Json.object().put("uri", "test://diary/monday")))
                .as("reading a URI of the template the operator protected").isFalse();
        assertThat(allowed(configured, "resources/subscribe", Json.object().put("uri", "test://diary/monday")))
                .as("subscribing to a URI of the template the operator protected").isFalse();
        assertThat(allowed(DECLARED, "resources/read", Json.object().put("uri", "test://diary/monday")))
                .as("without the rule the template's URIs need mcp:read only").isTrue();
    }

    @Test
    void a_rule_for_the_exact_uri_wins_over_the_rule_for_its_template() {
        McpServer configured = server(new ScopePolicy(Map.of(), Map.of(), Map.of(
                "test://diary/{day}", new Rule(Set.of("diary:read"), Set.of()),
                "test://diary/public", new Rule(Set.of("mcp:read"), Set.of())), Map.of()));
        assertThat(allowed(configured, "resources/read", Json.object().put("uri", "test://diary/public"))).isTrue();
        assertThat(allowed(configured, "resources/read", Json.object().put("uri", "test://diary/private"))).isFalse();
    }
}
