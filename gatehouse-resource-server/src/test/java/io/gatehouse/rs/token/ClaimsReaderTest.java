package io.gatehouse.rs.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ClaimsReaderTest {

    private final ClaimsReader reader = new ClaimsReader(ClaimsReader.DEFAULT_ROLE_CLAIMS);

    @Test
    void scopes_come_from_a_space_separated_scope_string() {
        AccessToken token = reader.read(Map.of("scope", "  mcp:read   mcp:tools "));

        assertThat(token.scopes()).containsExactlyInAnyOrder("mcp:read", "mcp:tools");
    }

    @Test
    void scopes_come_from_an_scp_array() {
        assertThat(reader.read(Map.of("scp", List.of("mcp:read", "mcp:prompts"))).scopes())
                .containsExactlyInAnyOrder("mcp:read", "mcp:prompts");
    }

    @Test
    void scopes_come_from_an_scp_string() {
        assertThat(reader.read(Map.of("scp", "mcp:read mcp:prompts")).scopes())
                .containsExactlyInAnyOrder("mcp:read", "mcp:prompts");
    }

    @Test
    void scopes_come_from_a_scopes_array() {
        assertThat(reader.read(Map.of("scopes", List.of("mcp:tools"))).scopes()).containsExactly("mcp:tools");
    }

    @Test
    void scopes_from_every_claim_are_combined() {
        assertThat(reader.read(Map.of("scope", "a", "scp", List.of("b"), "scopes", List.of("c"))).scopes())
                .containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void non_string_members_of_a_scope_array_are_ignored() {
        assertThat(reader.read(Map.of("scp", List.of("mcp:read", 42, "", Map.of("x", "y")))).scopes())
                .containsExactly("mcp:read");
    }

    @Test
    void roles_come_from_a_top_level_claim_and_from_a_nested_path() {
        AccessToken token = reader.read(Map.of("roles", List.of("editor"),
                "realm_access", Map.of("roles", List.of("admin", "user"))));

        assertThat(token.roles()).containsExactlyInAnyOrder("editor", "admin", "user");
    }

    @Test
    void roles_come_from_a_client_specific_resource_access_path() {
        ClaimsReader keycloak = new ClaimsReader(List.of("resource_access.gatehouse.roles"));

        AccessToken token = keycloak.read(Map.of("resource_access", Map.of(
                "gatehouse", Map.of("roles", List.of("operator")),
                "other-client", Map.of("roles", List.of("superuser")))));

        assertThat(token.roles()).containsExactly("operator");
    }

    @Test
    void a_role_path_through_a_non_object_gives_no_roles() {
        assertThat(reader.read(Map.of("realm_access", "not-an-object", "roles", 7)).roles()).isEmpty();
    }

    @Test
    void missing_claims_give_empty_values_rather_than_exceptions() {
        AccessToken token = reader.read(Map.of());

        assertThat(token.issuer()).isEmpty();
        assertThat(token.subject()).isEmpty();
        assertThat(token.username()).isEmpty();
        assertThat(token.clientId()).isEmpty();
        assertThat(token.scopes()).isEmpty();
        assertThat(token.roles()).isEmpty();
        assertThat(token.audience()).isEmpty();
        assertThat(token.expiresAt()).isEqualTo(Instant.EPOCH);
    }

    @Test
    void null_claim_values_give_empty_values_rather_than_exceptions() {
        Map<String, Object> claims = new HashMap<>();
        claims.put("sub", null);
        claims.put("scope", null);
        claims.put("roles", null);
        claims.put("aud", null);
        claims.put("exp", null);

        AccessToken token = reader.read(claims);

        assertThat(token.subject()).isEmpty();
        assertThat(token.scopes()).isEmpty();
        assertThat(token.roles()).isEmpty();
        assertThat(token.audience()).isEmpty();
    }

    @Test
    void the_username_falls_back_from_preferred_username_to_username_to_subject() {
        assertThat(reader.read(Map.of("sub", "s", "username", "u", "preferred_username", "p")).username()).isEqualTo("p");
        assertThat(reader.read(Map.of("sub", "s", "username", "u")).username()).isEqualTo("u");
        assertThat(reader.read(Map.of("sub", "s")).username()).isEqualTo("s");
    }

    @Test
    void the_client_id_falls_back_to_azp() {
        assertThat(reader.read(Map.of("client_id", "c", "azp", "a")).clientId()).isEqualTo("c");
        assertThat(reader.read(Map.of("azp", "a")).clientId()).isEqualTo("a");
    }

    @Test
    void the_audience_may_be_a_string_or_an_array() {
        assertThat(reader.read(Map.of("aud", "https://mcp.example/mcp")).audience()).containsExactly("https://mcp.example/mcp");
        assertThat(reader.read(Map.of("aud", List.of("a", "b"))).audience()).containsExactly("a", "b");
    }

    @Test
    void the_expiry_may_be_a_date_or_epoch_seconds() {
        Instant exp = Instant.parse("2030-01-01T00:00:00Z");

        assertThat(reader.read(Map.of("exp", Date.from(exp))).expiresAt()).isEqualTo(exp);
        assertThat(reader.read(Map.of("exp", exp.getEpochSecond())).expiresAt()).isEqualTo(exp);
    }

    @Test
    void the_access_token_becomes_a_caller_with_the_same_identity_and_grants() {
        Instant exp = Instant.parse("2030-01-01T00:00:00Z");
        AccessToken token = reader.read(Map.of("iss", "i", "sub", "s", "preferred_username", "p", "client_id", "c",
                "scope", "mcp:read", "roles", List.of("admin"), "exp", exp.getEpochSecond()));

        assertThat(token.toCaller()).satisfies(caller -> {
            assertThat(caller.issuer()).isEqualTo("i");
            assertThat(caller.subject()).isEqualTo("s");
            assertThat(caller.username()).isEqualTo("p");
            assertThat(caller.clientId()).isEqualTo("c");
            assertThat(caller.scopes()).containsExactly("mcp:read");
            assertThat(caller.roles()).containsExactly("admin");
            assertThat(caller.expiresAt()).isEqualTo(exp);
        });
    }
}
