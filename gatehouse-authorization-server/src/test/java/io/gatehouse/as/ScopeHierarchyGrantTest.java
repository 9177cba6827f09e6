package io.gatehouse.as;

import static io.gatehouse.as.OAuthDriver.ADMIN_PASSWORD;
import static io.gatehouse.as.OAuthDriver.ALICE_PASSWORD;
import static io.gatehouse.as.OAuthDriver.body;
import static io.gatehouse.as.OAuthDriver.callback;
import static io.gatehouse.as.OAuthDriver.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.as.OAuthDriver.Client;
import io.gatehouse.as.OAuthDriver.Start;
import io.gatehouse.as.users.PasswordHasher;
import io.gatehouse.as.users.User;
import io.gatehouse.as.web.AsResponse;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A server that supports narrower scopes than the base ones ({@code mcp:tools:words}) and scopes of their own
 * ({@code mcp:words}): a user is granted a requested scope when they are allowed it or an ancestor of it (RS-13, the
 * resource server's hierarchy), never a scope outside both, and a request naming no scope gets what it got before
 * the narrower scopes existed.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("RS-13")
class ScopeHierarchyGrantTest {

    static final List<String> SUPPORTED = List.of("mcp:read", "mcp:tools", "mcp:prompts", "mcp:tools:words", "mcp:words");

    final OAuthDriver as = new OAuthDriver(new AsSettings(OAuthDriver.ISSUER, List.of(URI.create(OAuthDriver.RESOURCE)), SUPPORTED,
            Duration.ofMinutes(15), Duration.ofDays(30), Duration.ofMinutes(1), true, Optional.empty(), false, false, false));
    final Client client = as.registerPublic();

    @Test
    void a_user_allowed_a_scope_may_be_granted_a_narrower_one_beneath_it() {
        Map<String, Object> tokens = as.tokens(client, "scope", "mcp:read mcp:tools:words");

        assertThat(tokens).containsEntry("scope", "mcp:read mcp:tools:words");
    }

    @Test
    void the_narrower_scope_survives_a_refresh() {
        Map<String, Object> tokens = as.tokens(client, "scope", "mcp:tools:words");

        AsResponse refreshed = as.refresh(client, (String) tokens.get("refresh_token"));

        assertThat(refreshed.status()).as(body(refreshed)).isEqualTo(200);
        assertThat(json(refreshed)).containsEntry("scope", "mcp:tools:words");
    }

    @Test
    void a_request_naming_no_scope_gets_the_allowed_scopes_without_those_another_one_implies() {
        assertThat(as.tokens(client, "scope", null)).containsEntry("scope", "mcp:read mcp:tools");
        Map<String, Object> admin = json(as.exchange(as.authorizeAs("admin", ADMIN_PASSWORD, client, "scope", null)));
        assertThat(admin).containsEntry("scope", "mcp:prompts mcp:read mcp:tools mcp:words");
    }

    @Test
    @Tag("attack")
    void a_scope_the_user_is_not_allowed_is_dropped_even_though_the_server_supports_it() {
        Map<String, Object> tokens = as.tokens(client, "scope", "mcp:read mcp:tools mcp:words");

        assertThat(tokens).containsEntry("scope", "mcp:read mcp:tools");
    }

    @Test
    @Tag("attack")
    void asking_only_for_a_scope_the_user_is_not_allowed_is_invalid_scope_and_no_code() {
        Start start = as.start(OAuthDriver.OPERATOR_CLIENT, "scope", "mcp:words");

        AsResponse afterLogin = as.login(start.response(), "alice", ALICE_PASSWORD);

        assertThat(callback(afterLogin)).containsEntry("error", "invalid_scope").doesNotContainKey("code");
    }

    @Test
    @Tag("attack")
    void a_broader_scope_is_never_granted_for_a_narrower_one_the_user_holds() {
        User narrow = new User("nora", PasswordHasher.hash(ALICE_PASSWORD.toCharArray()), Set.of("user"), Set.of("mcp:tools:words"));

        assertThat(narrow.mayHave("mcp:tools:words")).isTrue();
        assertThat(narrow.mayHave("mcp:tools:words:count")).isTrue();
        assertThat(narrow.mayHave("mcp:tools")).isFalse();
        assertThat(narrow.mayHave("mcp:tools:other")).isFalse();
        assertThat(narrow.mayHave("mcp:tools:wordsmith")).isFalse();
        assertThat(narrow.mayHave("mcp")).isFalse();
    }
}
