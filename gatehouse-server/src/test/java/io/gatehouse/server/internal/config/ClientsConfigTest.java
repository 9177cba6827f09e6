package io.gatehouse.server.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.as.clients.ClientOrigin;
import io.gatehouse.as.clients.RegisteredClient;
import io.gatehouse.as.users.User;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The config file's clients and users sections: what a configured machine, resource server and user may be. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ClientsConfigTest {

    static final Map<String, String> ENV = Map.of("SECRET", "a-client-secret-0123456789");

    @Test
    @Tag("SEC10-1")
    void a_machine_must_list_its_scopes_and_gets_exactly_those() {
        assertThatThrownBy(() -> clients("""
                - client-id: machine
                  grant-types: [client_credentials]
                  token-endpoint-auth-method: client_secret_basic
                  client-secret-env: SECRET
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("list the scopes");

        RegisteredClient machine = clients("""
                - client-id: machine
                  grant-types: [client_credentials]
                  token-endpoint-auth-method: client_secret_basic
                  client-secret-env: SECRET
                  scopes: []
                """).get(0);
        assertThat(machine.origin()).isEqualTo(ClientOrigin.CONFIGURED);
        assertThat(machine.allowedScopes()).isEmpty();
        assertThat(machine.scopesWithin(List.of("mcp:read", "mcp:tools"))).isEmpty();
    }

    @Test
    @Tag("SEC10-1")
    void a_machine_may_not_be_given_any_scope_with_a_star() {
        assertThatThrownBy(() -> clients("""
                - client-id: machine
                  grant-types: [client_credentials]
                  token-endpoint-auth-method: client_secret_basic
                  client-secret-env: SECRET
                  scopes: ["*"]
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("only for clients that act for a user");
    }

    @Test
    @Tag("SEC10-1")
    void a_public_client_may_not_use_client_credentials_and_unknown_grants_are_refused() {
        assertThatThrownBy(() -> clients("""
                - client-id: machine
                  grant-types: [client_credentials]
                  scopes: [mcp:read]
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("confidential");
        assertThatThrownBy(() -> clients("""
                - client-id: app
                  grant-types: [password]
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("grant-types");
    }

    @Test
    @Tag("RFC8693")
    @Tag("issue-17")
    void a_confidential_client_with_the_token_exchange_grant_gets_exactly_its_listed_audiences() {
        RegisteredClient exchanger = clients("""
                - client-id: gatehouse-tools
                  grant-types: [urn:ietf:params:oauth:grant-type:token-exchange]
                  token-endpoint-auth-method: client_secret_basic
                  client-secret-env: SECRET
                  token-exchange-audiences: [https://reports.example.com/api, ticket-system, ticket-system]
                - client-id: my-ide
                  redirect-uris: [http://127.0.0.1/callback]
                """).get(0);
        RegisteredClient ide = clients("""
                - client-id: my-ide
                  redirect-uris: [http://127.0.0.1/callback]
                """).get(0);

        assertThat(exchanger.grantTypes()).containsExactly("urn:ietf:params:oauth:grant-type:token-exchange");
        assertThat(exchanger.tokenExchangeAudiences()).containsExactly("https://reports.example.com/api", "ticket-system");
        assertThat(exchanger.origin()).isEqualTo(ClientOrigin.CONFIGURED);
        assertThat(exchanger.isPublic()).isFalse();
        assertThat(ide.tokenExchangeAudiences()).isEmpty();
        assertThat(ide.grantTypes()).doesNotContain("urn:ietf:params:oauth:grant-type:token-exchange");
    }

    @Test
    @Tag("RFC8693")
    @Tag("issue-17")
    @Tag("attack")
    void token_exchange_needs_a_confidential_client_and_a_list_of_audiences_never_all() {
        assertThatThrownBy(() -> clients("""
                - client-id: spa
                  grant-types: [urn:ietf:params:oauth:grant-type:token-exchange]
                  token-exchange-audiences: [ticket-system]
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("spa").hasMessageContaining("must be confidential");
        for (String audiences : new String[] {"", "  token-exchange-audiences: []\n", "  token-exchange-audiences:\n"}) {
            assertThatThrownBy(() -> clients("""
                    - client-id: tools
                      grant-types: [urn:ietf:params:oauth:grant-type:token-exchange]
                      token-endpoint-auth-method: client_secret_basic
                      client-secret-env: SECRET
                    """ + audiences)).isInstanceOf(ConfigException.class).hasMessageContaining("tools")
                    .hasMessageContaining("token-exchange-audiences").hasMessageContaining("never all");
        }
    }

    @Test
    @Tag("RFC8693")
    @Tag("issue-17")
    void token_exchange_audiences_without_the_grant_or_that_are_not_uris_or_names_are_config_errors() {
        assertThatThrownBy(() -> clients("""
                - client-id: tools
                  token-endpoint-auth-method: client_secret_basic
                  client-secret-env: SECRET
                  token-exchange-audiences: [ticket-system]
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("not the grant type");
        for (String bad : new String[] {"\"ftp://files.example.com\"", "\"https://reports.example.com/#frag\"", "\"two words\"",
                "\"\"", "\"urn:x:y\""}) {
            assertThatThrownBy(() -> clients("""
                    - client-id: tools
                      grant-types: [urn:ietf:params:oauth:grant-type:token-exchange]
                      token-endpoint-auth-method: client_secret_basic
                      client-secret-env: SECRET
                      token-exchange-audiences: [%s]
                    """.formatted(bad))).as(bad).isInstanceOf(ConfigException.class).hasMessageContaining("token-exchange-audiences");
        }
        assertThatThrownBy(() -> clients("""
                - client-id: tools
                  grant-types: [urn:ietf:params:oauth:grant-type:token-exchange]
                  token-endpoint-auth-method: client_secret_basic
                  client-secret-env: SECRET
                  token-exchange-audiences: ticket-system
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("must be a list");
    }

    @Test
    void a_user_facing_client_without_scopes_may_have_any_scope_its_users_hold() {
        RegisteredClient app = clients("""
                - client-id: my-ide
                  redirect-uris: [http://127.0.0.1/callback]
                """).get(0);

        assertThat(app.allowedScopes()).containsExactly(RegisteredClient.ANY_SCOPE);
        assertThat(app.introspection()).isFalse();
    }

    @Test
    @Tag("SEC10-7")
    void only_a_confidential_client_can_be_marked_for_introspection() {
        assertThatThrownBy(() -> clients("""
                - client-id: rs
                  introspection: true
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("confidential");

        RegisteredClient rs = clients("""
                - client-id: rs
                  grant-types: []
                  token-endpoint-auth-method: client_secret_basic
                  client-secret-env: SECRET
                  introspection: true
                """).get(0);
        assertThat(rs.introspection()).isTrue();
        assertThat(rs.grantTypes()).isEmpty();
    }

    @Test
    @Tag("SEC10-8")
    void a_redirect_uri_the_database_cannot_keep_is_a_config_error() {
        assertThatThrownBy(() -> clients("""
                - client-id: app
                  redirect-uris: [https://app.example/%s]
                """.formatted("x".repeat(2000)))).isInstanceOf(ConfigException.class).hasMessageContaining("2000");
    }

    @Test
    @Tag("SEC10-4")
    void a_user_can_be_disabled() {
        List<User> users = UsersConfig.parse(yaml("""
                - username: carol
                  password-hash: "pbkdf2-sha256$1$c2FsdA$aGFzaA"
                  disabled: true
                """));

        assertThat(users.get(0).disabled()).isTrue();
    }

    private static List<RegisteredClient> clients(String yaml) {
        return ClientsConfig.parse(yaml(yaml), ENV);
    }

    private static JsonNode yaml(String text) {
        return YAMLMapper.builder().build().readTree(text);
    }
}
