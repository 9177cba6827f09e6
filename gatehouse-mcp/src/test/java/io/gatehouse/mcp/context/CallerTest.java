package io.gatehouse.mcp.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What a handler asks of its caller at run time: the same scope hierarchy the access policy applies. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CallerTest {

    private static Caller holding(String... scopes) {
        return new Caller("https://issuer", "sub", "alice", "client", Set.of(scopes), Set.of("user"), Instant.MAX);
    }

    @Test
    @Tag("RS-13")
    void a_parent_scope_grants_its_descendants_but_not_its_siblings_or_parent() {
        Caller caller = holding("mcp:tools");
        assertThat(caller.hasScope("mcp:tools")).isTrue();
        assertThat(caller.hasScope("mcp:tools:deploy")).isTrue();
        assertThat(caller.hasScope("mcp:tools:deploy:prod")).isTrue();
        assertThat(caller.hasScope("mcp:toolsx")).isFalse();
        assertThat(caller.hasScope("mcp:prompts")).isFalse();
        assertThat(holding("mcp:tools:deploy").hasScope("mcp:tools")).isFalse();
        assertThat(holding().hasScope("mcp:tools")).isFalse();
    }

    @Test
    @Tag("SEP-2350")
    void require_scope_names_exactly_the_missing_scope() {
        assertThatThrownBy(() -> holding("mcp:read").requireScope("mcp:tools:deploy"))
                .isInstanceOfSatisfying(InsufficientScopeException.class,
                        e -> assertThat(e.requiredScopes()).containsExactly("mcp:tools:deploy"));
        holding("mcp:tools").requireScope("mcp:tools:deploy");
    }

    @Test
    void roles_are_matched_exactly() {
        assertThat(holding().hasRole("user")).isTrue();
        assertThat(holding().hasRole("admin")).isFalse();
    }
}
