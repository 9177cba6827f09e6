package io.gatehouse.rs.policy;

import static io.gatehouse.mcp.internal.server.AccessPolicy.Requirement.NONE;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.internal.server.AccessPolicy.Denial;
import io.gatehouse.mcp.internal.server.AccessPolicy.Feature;
import io.gatehouse.mcp.internal.server.AccessPolicy.Requirement;
import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.context.Scopes;
import io.gatehouse.rs.policy.ScopePolicy.Rule;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ScopePolicyTest {

    private static final Set<String> ALL_BASE = Set.of("mcp:read", "mcp:tools", "mcp:prompts");

    private final ScopePolicy defaults = new ScopePolicy(Map.of(), Map.of(), Map.of(), Map.of());

    private final ScopePolicy configured = new ScopePolicy(
            Map.of("echo", new Rule(Set.of("mcp:tools:echo"), Set.of()),
                    "shutdown", new Rule(Set.of(), Set.of("admin"))),
            Map.of("secret-prompt", new Rule(Set.of("mcp:prompts:secret"), Set.of())),
            Map.of("file:///etc/secret", new Rule(Set.of("mcp:read:secret"), Set.of("ops", "admin"))),
            Map.of("admin", Set.of("*")));

    private static Caller caller(Set<String> scopes, Set<String> roles) {
        return new Caller("https://issuer.example", "user-1", "alice", "client-1", scopes, roles, Instant.MAX);
    }

    private static Caller withScopes(String... scopes) {
        return caller(Set.of(scopes), Set.of());
    }

    private static ObjectNode named(String name) {
        return Json.object().put("name", name);
    }

    private static ObjectNode uri(String uri) {
        return Json.object().put("uri", uri);
    }

    private static ObjectNode promptRef(String name) {
        ObjectNode params = Json.object();
        params.putObject("ref").put("type", "ref/prompt").put("name", name);
        return params;
    }

    private static ObjectNode resourceRef(String uri) {
        ObjectNode params = Json.object();
        params.putObject("ref").put("type", "ref/resource").put("uri", uri);
        return params;
    }

    private static Set<String> required(Optional<Denial> denial) {
        return denial.orElseThrow().requiredScopes();
    }

    @Test
    void tools_list_is_allowed_by_read_or_by_tools() {
        assertThat(defaults.check(withScopes("mcp:read"), "tools/list", Json.object(), NONE)).isEmpty();
        assertThat(defaults.check(withScopes("mcp:tools"), "tools/list", Json.object(), NONE)).isEmpty();
        assertThat(defaults.check(withScopes("mcp:prompts"), "tools/list", Json.object(), NONE)).isPresent();
    }

    @Test
    void tools_call_needs_the_tools_scope() {
        assertThat(defaults.check(withScopes("mcp:tools"), "tools/call", named("echo"), NONE)).isEmpty();
        assertThat(defaults.check(withScopes("mcp:read", "mcp:prompts"), "tools/call", named("echo"), NONE)).isPresent();
    }

    @Test
    void prompts_list_is_allowed_by_read_or_by_prompts() {
        assertThat(defaults.check(withScopes("mcp:read"), "prompts/list", Json.object(), NONE)).isEmpty();
        assertThat(defaults.check(withScopes("mcp:prompts"), "prompts/list", Json.object(), NONE)).isEmpty();
        assertThat(defaults.check(withScopes("mcp:tools"), "prompts/list", Json.object(), NONE)).isPresent();
    }

    @Test
    void prompts_get_needs_the_prompts_scope() {
        assertThat(defaults.check(withScopes("mcp:prompts"), "prompts/get", named("greet"), NONE)).isEmpty();
        assertThat(defaults.check(withScopes("mcp:read", "mcp:tools"), "prompts/get", named("greet"), NONE)).isPresent();
    }

    @Test
    void every_resource_method_needs_the_read_scope() {
        for (String method : new String[] {"resources/list", "resources/templates/list", "resources/read",
                "resources/subscribe", "resources/unsubscribe"}) {
            assertThat(defaults.check(withScopes("mcp:read"), method, uri("file:///a"), NONE)).as(method).isEmpty();
            assertThat(defaults.check(withScopes("mcp:tools", "mcp:prompts"), method, uri("file:///a"), NONE)).as(method)
                    .map(Denial::requiredScopes).hasValue(Set.of("mcp:read"));
        }
    }

    @Test
    @Tag("D-1")
    void lifecycle_methods_discovery_and_notifications_need_only_a_valid_token() {
        for (String method : new String[] {"initialize", "ping", "notifications/initialized",
                "notifications/cancelled", "logging/setLevel", "server/discover"}) {
            assertThat(defaults.check(withScopes(), method, Json.object(), NONE)).as(method).isEmpty();
        }
    }

    @Test
    @Tag("RS-12")
    void a_tools_call_denial_names_only_the_tools_scope() {
        assertThat(required(defaults.check(withScopes("mcp:read"), "tools/call", named("echo"), NONE)))
                .containsExactly("mcp:tools");
    }

    @Test
    @Tag("RS-12")
    void a_list_denial_names_the_narrowest_alternative() {
        assertThat(required(defaults.check(withScopes(), "tools/list", Json.object(), NONE))).containsExactly("mcp:read");
        assertThat(required(defaults.check(withScopes(), "prompts/list", Json.object(), NONE))).containsExactly("mcp:read");
    }

    @Test
    @Tag("RS-12")
    void a_prompts_get_denial_names_only_the_prompts_scope() {
        assertThat(required(defaults.check(withScopes("mcp:tools"), "prompts/get", named("greet"), NONE)))
                .containsExactly("mcp:prompts");
    }

    @Test
    @Tag("RS-13")
    void a_per_tool_scope_is_satisfied_by_its_parent_scope() {
        assertThat(configured.check(withScopes("mcp:tools"), "tools/call", named("echo"), NONE)).isEmpty();
    }

    @Test
    @Tag("RS-13")
    void a_per_tool_scope_is_satisfied_by_itself() {
        assertThat(configured.check(withScopes("mcp:tools:echo"), "tools/call", named("echo"), NONE)).isEmpty();
    }

    @Test
    @Tag("RS-13")
    void a_per_tool_scope_is_satisfied_by_its_grandparent_scope() {
        assertThat(configured.check(withScopes("mcp"), "tools/call", named("echo"), NONE)).isEmpty();
    }

    @Test
    @Tag("RS-13")
    void a_per_tool_scope_is_not_satisfied_by_a_sibling_or_an_unrelated_scope() {
        assertThat(required(configured.check(withScopes("mcp:tools:other"), "tools/call", named("echo"), NONE)))
                .containsExactly("mcp:tools:echo");
        assertThat(required(configured.check(withScopes("mcp:read"), "tools/call", named("echo"), NONE)))
                .containsExactly("mcp:tools:echo");
    }

    @Test
    @Tag("RS-13")
    void a_scope_is_not_satisfied_by_a_string_prefix_that_is_not_a_parent() {
        assertThat(Scopes.satisfies(Set.of("mcp:to"), "mcp:tools")).isFalse();
        assertThat(Scopes.satisfies(Set.of("mcp:tools:echo"), "mcp:tools")).isFalse();
        assertThat(Scopes.satisfies(Set.of("mcp:tools"), "mcp:tools:echo:loud")).isTrue();
        assertThat(Scopes.satisfies(Set.of("*"), "anything")).isTrue();
    }

    @Test
    @Tag("RS-11")
    void a_tool_reserved_for_a_role_is_denied_to_a_caller_without_it_even_with_every_scope() {
        Denial denial = configured.check(caller(Set.of("mcp:tools", "mcp:read", "mcp:prompts", "*"), Set.of("editor")),
                "tools/call", named("shutdown"), NONE).orElseThrow();

        assertThat(denial.requiredScopes()).isEmpty();
        assertThat(denial.description()).contains("admin");
    }

    @Test
    void a_tool_reserved_for_a_role_is_allowed_to_a_caller_with_the_role_and_the_tools_scope() {
        ScopePolicy noMapping = new ScopePolicy(Map.of("shutdown", new Rule(Set.of(), Set.of("admin"))), Map.of(),
                Map.of(), Map.of());

        assertThat(noMapping.check(caller(Set.of("mcp:tools"), Set.of("admin")), "tools/call", named("shutdown"), NONE)).isEmpty();
        assertThat(noMapping.check(caller(Set.of("mcp:read"), Set.of("admin")), "tools/call", named("shutdown"), NONE))
                .map(Denial::requiredScopes).hasValue(Set.of("mcp:tools"));
    }

    @Test
    void a_role_mapped_to_every_scope_lets_its_holder_do_everything() {
        Caller admin = caller(Set.of(), Set.of("admin"));

        assertThat(configured.check(admin, "tools/list", Json.object(), NONE)).isEmpty();
        assertThat(configured.check(admin, "tools/call", named("echo"), NONE)).isEmpty();
        assertThat(configured.check(admin, "tools/call", named("shutdown"), NONE)).isEmpty();
        assertThat(configured.check(admin, "prompts/get", named("secret-prompt"), NONE)).isEmpty();
        assertThat(configured.check(admin, "resources/read", uri("file:///etc/secret"), NONE)).isEmpty();
        assertThat(configured.check(admin, "completion/complete", promptRef("secret-prompt"), NONE)).isEmpty();
    }

    @Test
    void a_role_without_a_mapping_grants_no_scopes() {
        assertThat(configured.check(caller(Set.of(), Set.of("editor")), "tools/list", Json.object(), NONE)).isPresent();
    }

    @Test
    void a_resource_rule_needs_one_of_its_roles_and_its_scope() {
        String secret = "file:///etc/secret";

        assertThat(configured.check(caller(Set.of("mcp:read:secret"), Set.of("ops")), "resources/read", uri(secret), NONE))
                .isEmpty();
        assertThat(configured.check(caller(Set.of("mcp:read"), Set.of("ops")), "resources/read", uri(secret), NONE))
                .isEmpty();
        assertThat(configured.check(caller(Set.of("mcp:read:secret"), Set.of()), "resources/read", uri(secret), NONE))
                .map(Denial::requiredScopes).hasValue(Set.of());
        assertThat(configured.check(caller(Set.of("mcp:read:other"), Set.of("ops")), "resources/read", uri(secret), NONE))
                .map(Denial::requiredScopes).hasValue(Set.of("mcp:read:secret"));
    }

    @Test
    void can_see_shows_an_item_with_its_own_scopes_only_to_callers_whose_check_would_pass() {
        Caller reader = withScopes("mcp:read", "mcp:prompts:secret");
        Caller toolUser = withScopes("mcp:tools:echo");

        assertThat(configured.canSee(reader, Feature.TOOL, "echo", NONE)).isFalse();
        assertThat(configured.canSee(toolUser, Feature.TOOL, "echo", NONE)).isTrue();
        assertThat(configured.canSee(reader, Feature.PROMPT, "secret-prompt", NONE)).isTrue();
        assertThat(configured.canSee(toolUser, Feature.PROMPT, "secret-prompt", NONE)).isFalse();
        assertThat(configured.canSee(reader, Feature.RESOURCE, "file:///etc/secret", NONE)).isFalse();

        for (Caller caller : new Caller[] {reader, toolUser, withScopes("mcp:tools"), withScopes("mcp:prompts"),
                caller(Set.of("mcp:read"), Set.of("ops")), caller(Set.of(), Set.of("admin"))}) {
            assertThat(configured.canSee(caller, Feature.TOOL, "echo", NONE))
                    .isEqualTo(configured.check(caller, "tools/call", named("echo"), NONE).isEmpty());
            assertThat(configured.canSee(caller, Feature.PROMPT, "secret-prompt", NONE))
                    .isEqualTo(configured.check(caller, "prompts/get", named("secret-prompt"), NONE).isEmpty());
            assertThat(configured.canSee(caller, Feature.RESOURCE, "file:///etc/secret", NONE))
                    .isEqualTo(configured.check(caller, "resources/read", uri("file:///etc/secret"), NONE).isEmpty());
        }
    }

    @Test
    void can_see_shows_an_item_without_its_own_rule_to_everyone_allowed_to_list() {
        Caller reader = withScopes("mcp:read");

        assertThat(configured.canSee(reader, Feature.TOOL, "other", NONE)).isTrue();
        assertThat(configured.canSee(reader, Feature.PROMPT, "greet", NONE)).isTrue();
        assertThat(configured.canSee(reader, Feature.RESOURCE, "file:///a", NONE)).isTrue();
        assertThat(defaults.canSee(withScopes("mcp:tools:echo"), Feature.TOOL, "anything", NONE)).isTrue();
    }

    @Test
    void can_see_hides_an_item_reserved_for_a_role_from_callers_without_it() {
        assertThat(configured.canSee(withScopes("mcp:tools", "*"), Feature.TOOL, "shutdown", NONE)).isFalse();
        assertThat(configured.canSee(caller(Set.of("mcp:tools"), Set.of("admin")), Feature.TOOL, "shutdown", NONE)).isTrue();
        assertThat(configured.canSee(caller(Set.of("mcp:read"), Set.of("editor")), Feature.RESOURCE, "file:///etc/secret", NONE))
                .isFalse();
    }

    @Test
    void completion_for_a_prompt_follows_the_prompts_get_rules() {
        assertThat(configured.check(withScopes("mcp:prompts"), "completion/complete", promptRef("greet"), NONE)).isEmpty();
        assertThat(configured.check(withScopes("mcp:read"), "completion/complete", promptRef("greet"), NONE))
                .map(Denial::requiredScopes).hasValue(Set.of("mcp:prompts"));
        assertThat(configured.check(withScopes("mcp:prompts:secret"), "completion/complete", promptRef("secret-prompt"), NONE))
                .isEmpty();
        assertThat(configured.check(withScopes("mcp:prompts:other"), "completion/complete", promptRef("secret-prompt"), NONE))
                .map(Denial::requiredScopes).hasValue(Set.of("mcp:prompts:secret"));
    }

    @Test
    void completion_for_a_resource_needs_the_read_scope() {
        assertThat(configured.check(withScopes("mcp:read"), "completion/complete", resourceRef("file:///{name}"), NONE)).isEmpty();
        assertThat(configured.check(withScopes("mcp:tools"), "completion/complete", resourceRef("file:///{name}"), NONE))
                .map(Denial::requiredScopes).hasValue(Set.of("mcp:read"));
    }

    @Test
    void a_call_without_a_name_falls_back_to_the_default_rule() {
        assertThat(configured.check(withScopes("mcp:tools"), "tools/call", Json.object(), NONE)).isEmpty();
        assertThat(configured.check(withScopes(), "tools/call", Json.object(), NONE)).isPresent();
    }

    @Test
    void declared_scopes_include_the_base_scopes_and_every_per_item_scope() {
        assertThat(configured.declaredScopes()).containsAll(ALL_BASE)
                .contains("mcp:tools:echo", "mcp:prompts:secret", "mcp:read:secret")
                .doesNotContain("*", "offline_access");
        assertThat(defaults.declaredScopes()).containsExactly("mcp:read", "mcp:tools", "mcp:prompts");
        assertThat(ScopePolicy.BASE_SCOPES).containsExactly("mcp:read", "mcp:tools", "mcp:prompts");
    }

    @Test
    void a_denial_description_names_what_is_missing() {
        assertThat(configured.check(withScopes("mcp:read"), "tools/call", named("echo"), NONE).orElseThrow().description())
                .contains("echo").contains("mcp:tools:echo");
    }

    private static Requirement declares(String... scopes) {
        return new Requirement(Set.of(scopes), Set.of());
    }

    @Test
    @Tag("RS-11")
    void a_prompt_declaring_a_scope_is_refused_without_it_and_the_denial_names_only_that_scope() {
        Requirement declared = declares("mcp:prompts:review");

        assertThat(required(defaults.check(withScopes("mcp:prompts:other", "mcp:read"), "prompts/get", named("review"), declared)))
                .containsExactly("mcp:prompts:review");
        assertThat(defaults.check(withScopes("mcp:prompts:review"), "prompts/get", named("review"), declared)).isEmpty();
        assertThat(defaults.check(withScopes("mcp:prompts"), "prompts/get", named("review"), declared)).isEmpty();
        assertThat(required(defaults.check(withScopes("mcp:read"), "completion/complete", promptRef("review"), declared)))
                .containsExactly("mcp:prompts:review");
    }

    @Test
    @Tag("RS-11")
    void a_resource_declaring_a_scope_is_refused_without_it_for_read_subscribe_and_unsubscribe() {
        Requirement declared = declares("mcp:read:motd");

        for (String method : new String[] {"resources/read", "resources/subscribe", "resources/unsubscribe"}) {
            assertThat(required(defaults.check(withScopes("mcp:read:other"), method, uri("file:///motd"), declared)))
                    .as(method).containsExactly("mcp:read:motd");
            assertThat(defaults.check(withScopes("mcp:read:motd"), method, uri("file:///motd"), declared)).as(method).isEmpty();
            assertThat(defaults.check(withScopes("mcp:read"), method, uri("file:///motd"), declared)).as(method).isEmpty();
        }
    }

    @Test
    void a_resource_template_declaring_a_scope_guards_its_completions() {
        Requirement declared = declares("mcp:read:notes");

        assertThat(required(defaults.check(withScopes("mcp:read:other"), "completion/complete", resourceRef("file:///notes/{n}"), declared)))
                .containsExactly("mcp:read:notes");
        assertThat(defaults.check(withScopes("mcp:read:notes"), "completion/complete", resourceRef("file:///notes/{n}"), declared))
                .isEmpty();
    }

    @Test
    void a_declared_role_is_required_like_a_configured_one() {
        Requirement adminOnly = new Requirement(Set.of(), Set.of("admin"));

        assertThat(defaults.check(withScopes("mcp:prompts", "*"), "prompts/get", named("audit"), adminOnly)).isPresent();
        assertThat(defaults.check(caller(Set.of("mcp:prompts"), Set.of("admin")), "prompts/get", named("audit"), adminOnly))
                .isEmpty();
        assertThat(defaults.canSee(withScopes("mcp:read", "*"), Feature.RESOURCE, "file:///audit", adminOnly)).isFalse();
    }

    @Test
    @Tag("RS-19")
    void a_list_shows_a_declaring_prompt_resource_or_template_only_to_callers_who_may_use_it() {
        Caller reader = withScopes("mcp:read", "mcp:prompts:other");
        Caller allowed = withScopes("mcp:read:motd", "mcp:read:notes", "mcp:prompts:review");

        assertThat(defaults.canSee(reader, Feature.PROMPT, "review", declares("mcp:prompts:review"))).isFalse();
        assertThat(defaults.canSee(allowed, Feature.PROMPT, "review", declares("mcp:prompts:review"))).isTrue();
        assertThat(defaults.canSee(withScopes("mcp:read:other"), Feature.RESOURCE, "file:///motd", declares("mcp:read:motd"))).isFalse();
        assertThat(defaults.canSee(allowed, Feature.RESOURCE, "file:///motd", declares("mcp:read:motd"))).isTrue();
        assertThat(defaults.canSee(withScopes("mcp:read:other"), Feature.RESOURCE_TEMPLATE, "file:///notes/{n}",
                declares("mcp:read:notes"))).isFalse();
        assertThat(defaults.canSee(allowed, Feature.RESOURCE_TEMPLATE, "file:///notes/{n}", declares("mcp:read:notes"))).isTrue();
    }

    @Test
    void a_configured_rule_replaces_what_the_item_declares() {
        // configured: echo needs mcp:tools:echo, secret-prompt mcp:prompts:secret, file:///etc/secret a role and mcp:read:secret
        Requirement stricter = declares("mcp:tools:echo:loud");

        assertThat(configured.check(withScopes("mcp:tools:echo"), "tools/call", named("echo"), stricter)).isEmpty();
        assertThat(configured.canSee(withScopes("mcp:tools:echo"), Feature.TOOL, "echo", stricter)).isTrue();
        assertThat(configured.check(withScopes("mcp:prompts:secret"), "prompts/get", named("secret-prompt"),
                declares("mcp:prompts:other"))).isEmpty();
        assertThat(required(configured.check(withScopes("mcp:prompts:other"), "prompts/get", named("secret-prompt"),
                declares("mcp:prompts:other")))).containsExactly("mcp:prompts:secret");
        assertThat(configured.check(caller(Set.of("mcp:read:secret"), Set.of()), "resources/read", uri("file:///etc/secret"),
                declares("mcp:read:secret"))).map(Denial::requiredScopes).hasValue(Set.of());
    }

    @Test
    void an_item_without_a_rule_or_a_declaration_needs_the_methods_default_scope() {
        assertThat(required(configured.check(withScopes("mcp:read"), "tools/call", named("other"), NONE))).containsExactly("mcp:tools");
        assertThat(required(configured.check(withScopes("mcp:read"), "prompts/get", named("other"), NONE))).containsExactly("mcp:prompts");
        assertThat(required(configured.check(withScopes("mcp:tools"), "resources/read", uri("file:///a"), NONE))).containsExactly("mcp:read");
    }
}
