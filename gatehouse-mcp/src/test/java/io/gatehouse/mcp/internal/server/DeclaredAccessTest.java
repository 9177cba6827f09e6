package io.gatehouse.mcp.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.mcp.completion.Completer;
import io.gatehouse.mcp.content.ResourceContents;
import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import io.gatehouse.mcp.internal.server.AccessPolicy.Denial;
import io.gatehouse.mcp.internal.server.AccessPolicy.Feature;
import io.gatehouse.mcp.internal.server.AccessPolicy.Requirement;
import io.gatehouse.mcp.prompts.Prompt;
import io.gatehouse.mcp.prompts.PromptMessage;
import io.gatehouse.mcp.prompts.PromptResult;
import io.gatehouse.mcp.resources.Resource;
import io.gatehouse.mcp.resources.ResourceTemplate;
import io.gatehouse.mcp.tools.Tool;
import io.gatehouse.mcp.tools.ToolResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The engine finds what the addressed tool, prompt, resource or template declares and hands it to the access
 * policy itself, for {@link McpServer#authorize} and for the lists (RS-19); no application code in between.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DeclaredAccessTest {

    /** A policy that needs every declared scope and one declared role, and records what it was handed. */
    private static final class DeclarationsOnly implements AccessPolicy {
        final List<Requirement> handed = new ArrayList<>();

        @Override
        public Optional<Denial> check(Caller caller, String method, ObjectNode params, Requirement declared) {
            handed.add(declared);
            return allows(caller, declared) ? Optional.empty() : Optional.of(new Denial(declared.scopes(), "missing"));
        }

        @Override
        public boolean canSee(Caller caller, Feature feature, String name, Requirement declared) {
            return allows(caller, declared);
        }

        private static boolean allows(Caller caller, Requirement declared) {
            return caller.scopes().containsAll(declared.scopes())
                    && (declared.roles().isEmpty() || declared.roles().stream().anyMatch(caller.roles()::contains));
        }
    }

    private final DeclarationsOnly policy = new DeclarationsOnly();

    private final McpServer server = McpServer.builder("t", "1")
            .tool(Tool.builder("open").handler((args, ctx) -> ToolResult.text("open")))
            .tool(Tool.builder("deploy").requiredScopes("mcp:tools:deploy").handler((args, ctx) -> ToolResult.text("ok")))
            .prompt(Prompt.builder("greet").handler((args, ctx) -> PromptResult.of(null, PromptMessage.user("hi"))))
            .prompt(Prompt.builder("review").requiredScopes("mcp:prompts:review").requiredRoles("reviewer")
                    .argument("language", "its language", false, Completer.of(List.of("java")))
                    .handler((args, ctx) -> PromptResult.of(null, PromptMessage.user("review"))))
            .resource(Resource.builder("test://open").reader((uri, vars, ctx) -> List.of(ResourceContents.text(uri, null, "o"))))
            .resource(Resource.builder("test://motd").requiredScopes("mcp:read:motd")
                    .reader((uri, vars, ctx) -> List.of(ResourceContents.text(uri, null, "m"))))
            .resource(Resource.builder("test://notes/todo").requiredScopes("mcp:read:todo")
                    .reader((uri, vars, ctx) -> List.of(ResourceContents.text(uri, null, "t"))))
            .resourceTemplate(ResourceTemplate.builder("test://notes/{name}").requiredScopes("mcp:read:notes")
                    .completer("name", Completer.of(List.of("todo")))
                    .reader((uri, vars, ctx) -> List.of(ResourceContents.text(uri, null, "n"))))
            .resourceTemplate(ResourceTemplate.builder("test://public/{name}")
                    .reader((uri, vars, ctx) -> List.of(ResourceContents.text(uri, null, "p"))))
            .accessPolicy(policy)
            .build();

    private static Caller caller(Set<String> scopes, Set<String> roles) {
        return new Caller("https://issuer.example", "user-1", "alice", "client-1", scopes, roles, Instant.MAX);
    }

    private static Caller withScopes(String... scopes) {
        return caller(Set.of(scopes), Set.of());
    }

    private Optional<Denial> authorize(String method, String params, Caller caller) {
        return server.authorize(new JsonRpcMessage.Request(IntNode.valueOf(1), method, Wire.params(params)), caller);
    }

    private Requirement handedFor(String method, String params) {
        authorize(method, params, withScopes());
        return policy.handed.getLast();
    }

    private List<String> listed(String method, String member, String key, Caller caller) {
        JsonRpcMessage answer = server.handle(new JsonRpcMessage.Request(IntNode.valueOf(1), method, Wire.params("{}")),
                McpSession.transientSession(Wire.LATEST), caller, MessageSink.NONE).orElseThrow();
        JsonNode items = Wire.onWire(answer).path("result").path(member);
        return StreamSupport.stream(items.spliterator(), false).map(i -> i.path(key).stringValue()).toList();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tools/call            | {\"name\": \"deploy\"}                                    | mcp:tools:deploy",
            "prompts/get           | {\"name\": \"review\"}                                    | mcp:prompts:review",
            "resources/read        | {\"uri\": \"test://motd\"}                                | mcp:read:motd",
            "resources/subscribe   | {\"uri\": \"test://motd\"}                                | mcp:read:motd",
            "resources/unsubscribe | {\"uri\": \"test://motd\"}                                | mcp:read:motd",
            "resources/read        | {\"uri\": \"test://notes/ideas\"}                         | mcp:read:notes",
            "resources/read        | {\"uri\": \"test://notes/todo\"}                          | mcp:read:todo",
            "completion/complete   | {\"ref\": {\"type\": \"ref/prompt\", \"name\": \"review\"}}   | mcp:prompts:review",
            "completion/complete   | {\"ref\": {\"type\": \"ref/resource\", \"uri\": \"test://notes/{name}\"}} | mcp:read:notes"})
    void authorize_hands_the_policy_what_the_addressed_item_declares(String method, String params, String scope) {
        assertThat(handedFor(method, params).scopes()).containsExactly(scope);
    }

    @Test
    void a_declared_role_reaches_the_policy_too() {
        assertThat(handedFor("prompts/get", "{\"name\": \"review\"}").roles()).containsExactly("reviewer");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tools/call     | {\"name\": \"open\"}",
            "tools/call     | {\"name\": \"nosuchtool\"}",
            "tools/call     | {}",
            "prompts/get    | {\"name\": \"greet\"}",
            "resources/read | {\"uri\": \"test://open\"}",
            "resources/read | {\"uri\": \"test://public/x\"}",
            "resources/read | {\"uri\": \"test://nowhere\"}",
            "tools/list     | {}",
            "initialize     | {}"})
    void an_item_that_declares_nothing_or_no_item_at_all_hands_no_scope_and_no_role(String method, String params) {
        assertThat(handedFor(method, params).isEmpty()).isTrue();
    }

    @Test
    void a_uri_a_template_matched_names_that_template_so_a_rule_configured_for_it_applies() {
        assertThat(handedFor("resources/read", "{\"uri\": \"test://public/x\"}").template()).isEqualTo("test://public/{name}");
        assertThat(handedFor("resources/read", "{\"uri\": \"test://open\"}").template()).isEmpty();
        assertThat(handedFor("tools/call", "{\"name\": \"open\"}")).isEqualTo(Requirement.NONE);
    }

    @Test
    @Tag("RS-11")
    void a_prompt_and_a_resource_declaring_a_scope_are_refused_without_it() {
        assertThat(authorize("prompts/get", "{\"name\": \"review\"}", withScopes("mcp:prompts:review"))).isPresent();
        assertThat(authorize("prompts/get", "{\"name\": \"review\"}", caller(Set.of("mcp:prompts:review"), Set.of("reviewer"))))
                .isEmpty();
        assertThat(authorize("resources/read", "{\"uri\": \"test://motd\"}", withScopes("mcp:read")))
                .map(Denial::requiredScopes).hasValue(Set.of("mcp:read:motd"));
        assertThat(authorize("resources/read", "{\"uri\": \"test://motd\"}", withScopes("mcp:read:motd"))).isEmpty();
        assertThat(authorize("resources/read", "{\"uri\": \"test://notes/x\"}", withScopes("mcp:read:motd")))
                .map(Denial::requiredScopes).hasValue(Set.of("mcp:read:notes"));
    }

    @Test
    @Tag("RS-19")
    void each_list_shows_a_declaring_item_only_to_callers_who_may_use_it() {
        Caller nobody = withScopes();
        Caller everything = caller(Set.of("mcp:tools:deploy", "mcp:prompts:review", "mcp:read:motd", "mcp:read:todo",
                "mcp:read:notes"), Set.of("reviewer"));

        assertThat(listed("tools/list", "tools", "name", nobody)).containsExactly("open");
        assertThat(listed("tools/list", "tools", "name", everything)).containsExactly("open", "deploy");
        assertThat(listed("prompts/list", "prompts", "name", nobody)).containsExactly("greet");
        assertThat(listed("prompts/list", "prompts", "name", withScopes("mcp:prompts:review"))).containsExactly("greet");
        assertThat(listed("prompts/list", "prompts", "name", everything)).containsExactly("greet", "review");
        assertThat(listed("resources/list", "resources", "uri", nobody)).containsExactly("test://open");
        assertThat(listed("resources/list", "resources", "uri", everything))
                .containsExactly("test://open", "test://motd", "test://notes/todo");
        assertThat(listed("resources/templates/list", "resourceTemplates", "uriTemplate", nobody))
                .containsExactly("test://public/{name}");
        assertThat(listed("resources/templates/list", "resourceTemplates", "uriTemplate", everything))
                .containsExactly("test://notes/{name}", "test://public/{name}");
    }

    @Test
    void the_server_knows_every_scope_its_features_declare_in_registration_order() {
        assertThat(server.declaredScopes()).containsExactly("mcp:tools:deploy", "mcp:prompts:review", "mcp:read:motd",
                "mcp:read:todo", "mcp:read:notes");
        assertThat(McpServer.builder("t", "1").build().declaredScopes()).isEmpty();
    }
}
