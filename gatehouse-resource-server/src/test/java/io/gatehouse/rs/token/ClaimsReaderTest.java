package io.gatehouse.rs.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ClaimsReaderTest {

    private final ClaimsReader reader = ClaimsReader.gatehouse();
    private final ClaimsReader keycloak = new ClaimsReader(ClaimsReader.SCOPE, ClaimsReader.KEYCLOAK_ROLES);

    @Test
    @Tag("SEC19-3")
    void an_expiry_no_instant_can_hold_is_an_invalid_token_not_an_exception_of_the_server() {
        for (Object exp : List.of(Long.MAX_VALUE, Long.MIN_VALUE, 1e300, new java.math.BigInteger("99999999999999999999999"))) {
            assertThatThrownBy(() -> reader.read(Map.of("sub", "u", "exp", exp))).as(exp.toString())
                    .isInstanceOf(InvalidTokenException.class);
        }
        assertThat(reader.read(Map.of("sub", "u", "exp", 253_402_300_799L)).expiresAt()).isEqualTo(Instant.parse("9999-12-31T23:59:59Z"));
    }

    @Test
    @Tag("SEC19-3")
    void a_verified_token_needs_a_non_empty_subject() {
        assertThat(reader.readVerified(Map.of("sub", "u")).subject()).isEqualTo("u");
        for (Map<String, Object> claims : List.<Map<String, Object>>of(Map.of(), Map.of("sub", ""), Map.of("sub", " "), Map.of("sub", 7))) {
            assertThatThrownBy(() -> reader.readVerified(claims)).as(claims.toString()).isInstanceOf(InvalidTokenException.class);
        }
    }

    @Test
    void scopes_come_from_a_space_separated_scope_string() {
        AccessToken token = reader.read(Map.of("scope", "  mcp:read   mcp:tools "));

        assertThat(token.scopes()).containsExactlyInAnyOrder("mcp:read", "mcp:tools");
    }

    @Test
    void a_configured_scp_claim_may_be_an_array_or_a_string() {
        ClaimsReader scp = new ClaimsReader("scp", ClaimsReader.ROLES);

        assertThat(scp.read(Map.of("scp", List.of("mcp:read", "mcp:prompts"))).scopes()).containsExactlyInAnyOrder("mcp:read", "mcp:prompts");
        assertThat(scp.read(Map.of("scp", "mcp:read mcp:prompts")).scopes()).containsExactlyInAnyOrder("mcp:read", "mcp:prompts");
    }

    @Test
    @Tag("SEC19-2")
    void scopes_come_from_the_configured_claim_only_never_from_scp_or_scopes_beside_it() {
        assertThat(reader.read(Map.of("scope", "mcp:read", "scp", List.of("mcp:prompts"), "scopes", List.of("mcp:tools"))).scopes())
                .containsExactly("mcp:read");
        assertThat(reader.read(Map.of("scp", "mcp:prompts", "scopes", List.of("mcp:tools"))).scopes()).isEmpty();
    }

    @Test
    @Tag("SEC19-2")
    void keycloak_roles_come_from_realm_access_only_never_from_an_injected_top_level_roles_claim() {
        AccessToken token = keycloak.read(Map.of("roles", List.of("admin"), "realm_access", Map.of("roles", List.of("mcp-user"))));

        assertThat(token.roles()).containsExactly("mcp-user");
        assertThat(keycloak.read(Map.of("roles", "admin", "realm_access.roles", List.of("admin"))).roles()).isEmpty();
    }

    @Test
    void gatehouse_roles_come_from_the_top_level_roles_claim_only() {
        AccessToken token = reader.read(Map.of("roles", List.of("editor"), "realm_access", Map.of("roles", List.of("admin"))));

        assertThat(token.roles()).containsExactly("editor");
    }

    @Test
    void non_string_members_of_a_scope_array_are_ignored() {
        assertThat(new ClaimsReader("scp", "roles").read(Map.of("scp", List.of("mcp:read", 42, "", Map.of("x", "y")))).scopes())
                .containsExactly("mcp:read");
    }

    @Test
    void roles_come_from_a_client_specific_resource_access_path() {
        ClaimsReader client = new ClaimsReader("scope", "resource_access.gatehouse.roles");

        AccessToken token = client.read(Map.of("resource_access", Map.of(
                "gatehouse", Map.of("roles", List.of("operator")),
                "other-client", Map.of("roles", List.of("superuser")))));

        assertThat(token.roles()).containsExactly("operator");
    }

    @Test
    void a_claim_named_by_a_url_is_one_top_level_name_not_a_path() {
        ClaimsReader namespaced = new ClaimsReader("scope", "https://mcp.example/roles");

        assertThat(namespaced.read(Map.of("https://mcp.example/roles", List.of("admin"))).roles()).containsExactly("admin");
    }

    @Test
    void a_list_of_claims_or_an_empty_path_is_refused_as_configuration() {
        for (String bad : List.of("roles,realm_access.roles", "", " ", "realm_access.", ".roles", "a..b")) {
            assertThatThrownBy(() -> new ClaimsReader("scope", bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new ClaimsReader(bad, "roles")).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void a_role_path_through_a_non_object_gives_no_roles() {
        assertThat(keycloak.read(Map.of("realm_access", "not-an-object", "roles", 7)).roles()).isEmpty();
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
