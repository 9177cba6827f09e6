package io.gatehouse.server.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.server.internal.config.AccessConfig;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The server's scopes: base ones, declared ones and those the access rules name; never {@code *}, never a non-scope. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ServerScopesTest {

    static AccessConfig access(String yamlAsJson) {
        return AccessConfig.parse(Json.MAPPER.readTree(yamlAsJson));
    }

    @Test
    void without_declarations_or_rules_they_are_the_base_scopes() {
        assertThat(ServerScopes.of(Set.of(), AccessConfig.EMPTY)).containsExactly("mcp:read", "mcp:tools", "mcp:prompts");
    }

    @Test
    void declared_scopes_and_the_scopes_of_access_rules_follow_the_base_ones_in_alphabetical_order() {
        AccessConfig rules = access("""
                {"tools": {"echo": {"scopes": ["mcp:tools:echo"]}}, "prompts": {"p": {"scopes": ["mcp:prompts:p"], "roles": ["x"]}},
                 "resources": {"file:///a": {"scopes": ["mcp:read:a"]}}}""");

        assertThat(ServerScopes.of(List.of("mcp:words", "mcp:tools", "mcp:count"), rules)).containsExactly(
                "mcp:read", "mcp:tools", "mcp:prompts", "mcp:count", "mcp:prompts:p", "mcp:read:a", "mcp:tools:echo", "mcp:words");
    }

    @Test
    void the_scopes_roles_grant_are_not_requirements_and_star_is_never_one() {
        AccessConfig rules = access("""
                {"role-scopes": {"admin": ["*"], "editor": ["mcp:edit"]}, "tools": {"all": {"scopes": ["*"]}}}""");

        assertThat(ServerScopes.of(Set.of("*"), rules)).containsExactly("mcp:read", "mcp:tools", "mcp:prompts");
    }

    @Test
    void a_string_no_token_can_carry_as_a_scope_is_left_out() {
        assertThat(ServerScopes.of(List.of("two words", "quo\"te", "back\\slash", "", "caf\u00e9", "mcp:ok"), AccessConfig.EMPTY))
                .containsExactly("mcp:read", "mcp:tools", "mcp:prompts", "mcp:ok");
    }
}
