package io.gatehouse.server.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.transport.SessionMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GatehouseConfigTest {

    @TempDir
    Path dir;

    private static GatehouseConfig load(Optional<Path> file, Optional<Path> env, Map<String, String> environment,
                                        Map<String, String> flags) {
        return GatehouseConfig.from(Settings.load(file, env, environment, flags));
    }

    @Test
    void defaults_are_loopback_port_9000_stateful_and_the_embedded_authorization_server() {
        GatehouseConfig config = load(Optional.empty(), Optional.empty(), Map.of(), Map.of());
        assertThat(config.transport().host()).isEqualTo("127.0.0.1");
        assertThat(config.transport().port()).isEqualTo(9000);
        assertThat(config.transport().sessionMode()).isEqualTo(SessionMode.STATEFUL);
        assertThat(config.auth()).isEqualTo(AuthMode.EMBEDDED);
        assertThat(config.embedded().demoUsers()).isTrue();
        assertThat(config.mcpUrl(9000)).hasToString("http://localhost:9000/mcp");
        assertThat(config.resourceServer().auditAllowed()).isTrue();
        assertThat(config.management()).isEmpty();
        assertThat(config.embedded().keyEncryptionKey()).isEmpty();
        assertThat(config.embedded().keyEncryptionKeyFile()).isEmpty();
    }

    @Test
    void the_management_listener_is_on_loopback_when_asked_for_and_never_on_the_public_port() {
        GatehouseConfig config = load(Optional.empty(), Optional.empty(), Map.of("GATEHOUSE_MANAGEMENT_PORT", "9090"), Map.of());
        assertThat(config.management()).contains(new io.gatehouse.transport.ManagementListener("127.0.0.1", 9090));
        assertThatThrownBy(() -> load(Optional.empty(), Optional.empty(), Map.of(), Map.of("management-port", "9000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("management-port").hasMessageContaining("must differ");
        assertThatThrownBy(() -> load(Optional.empty(), Optional.empty(), Map.of(), Map.of("management-host", "127.0.0.2")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("management-host").hasMessageContaining("management-port");
    }

    @Test
    @org.junit.jupiter.api.Tag("RFC8693")
    @org.junit.jupiter.api.Tag("issue-17")
    void exchanged_tokens_live_five_minutes_unless_configured_between_ten_seconds_and_an_hour() {
        assertThat(load(Optional.empty(), Optional.empty(), Map.of(), Map.of()).embedded().tokenExchangeLifetime())
                .isEqualTo(java.time.Duration.ofMinutes(5));
        assertThat(load(Optional.empty(), Optional.empty(), Map.of("GATEHOUSE_TOKEN_EXCHANGE_LIFETIME", "90s"), Map.of()).embedded()
                .tokenExchangeLifetime()).isEqualTo(java.time.Duration.ofSeconds(90));
        for (String lifetime : new String[] {"5s", "2h"}) {
            assertThatThrownBy(() -> load(Optional.empty(), Optional.empty(), Map.of(), Map.of("token-exchange-lifetime", lifetime)))
                    .as(lifetime).isInstanceOf(ConfigException.class).hasMessageContaining("token-exchange-lifetime")
                    .hasMessageContaining("between 10s and 1h");
        }
    }

    @Test
    void the_key_encryption_key_is_never_shown_by_the_configuration() {
        GatehouseConfig config = load(Optional.empty(), Optional.empty(),
                Map.of("GATEHOUSE_KEY_ENCRYPTION_KEY", "c2VjcmV0LWtleS1lbmNyeXB0aW9uLWtleS0zMmJ5dGVz"), Map.of());
        assertThat(config.embedded().keyEncryptionKey()).isPresent();
        assertThat(config.toString()).doesNotContain("c2VjcmV0LWtleS1lbmNyeXB0aW9uLWtleS0zMmJ5dGVz").contains("keyEncryptionKey=(set)");
    }

    @Test
    void scopes_and_roles_come_from_one_claim_each_chosen_per_mode_unless_configured() throws Exception {
        Map<String, String> external = Map.of("auth", "external", "issuer", "http://localhost:8080/realms/mcp-realm");
        ResourceServerConfig keycloak = load(Optional.empty(), Optional.empty(), Map.of(), external).resourceServer();
        assertThat(keycloak.scopeClaim()).isEqualTo("scope");
        assertThat(keycloak.rolesClaim()).isEqualTo("realm_access.roles");
        ResourceServerConfig embedded = load(Optional.empty(), Optional.empty(), Map.of(), Map.of()).resourceServer();
        assertThat(embedded.rolesClaim()).isEqualTo("roles");
        ResourceServerConfig localKeys = load(Optional.empty(), Optional.empty(), Map.of(), Map.of("auth", "local-keys")).resourceServer();
        assertThat(localKeys.rolesClaim()).isEqualTo("roles");
        Path env = Files.writeString(dir.resolve("keycloak.env"), "KEYCLOAK_URL=http://localhost:8080\nKEYCLOAK_REALM=mcp-realm\n");
        assertThat(load(Optional.empty(), Optional.of(env), Map.of(), Map.of()).resourceServer().rolesClaim()).isEqualTo("realm_access.roles");
        Map<String, String> clientRoles = new java.util.HashMap<>(external);
        clientRoles.put("roles-claim", "resource_access.gatehouse.roles");
        clientRoles.put("scope-claim", "scp");
        ResourceServerConfig configured = load(Optional.empty(), Optional.empty(), Map.of(), clientRoles).resourceServer();
        assertThat(configured.rolesClaim()).isEqualTo("resource_access.gatehouse.roles");
        assertThat(configured.scopeClaim()).isEqualTo("scp");
        assertThat(configured.acceptedTokenTypes().accepted()).hasSize(2);
    }

    @Test
    void a_list_of_role_claims_the_old_role_claims_setting_and_other_claims_for_embedded_tokens_are_refused() throws Exception {
        assertThatThrownBy(() -> load(Optional.empty(), Optional.empty(), Map.of(), Map.of("auth", "local-keys",
                "roles-claim", "roles,realm_access.roles"))).hasMessageContaining("'roles-claim'").hasMessageContaining("one claim");
        Path file = Files.writeString(dir.resolve("old.yaml"), "auth: local-keys\nrole-claims: [roles, realm_access.roles]\n");
        assertThatThrownBy(() -> load(Optional.of(file), Optional.empty(), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("role-claims").hasMessageContaining("roles-claim");
        assertThatThrownBy(() -> load(Optional.empty(), Optional.empty(), Map.of("GATEHOUSE_ROLE_CLAIMS", "roles"), Map.of()))
                .hasMessageContaining("replaced by roles-claim");
        assertThatThrownBy(() -> load(Optional.empty(), Optional.empty(), Map.of(), Map.of("roles-claim", "realm_access.roles")))
                .hasMessageContaining("does not apply to --auth embedded");
        assertThatThrownBy(() -> load(Optional.empty(), Optional.empty(), Map.of(), Map.of("accepted-token-types", "JWT")))
                .hasMessageContaining("'accepted-token-types'");
        assertThatThrownBy(() -> load(Optional.empty(), Optional.empty(), Map.of(), Map.of("auth", "external", "issuer", "http://idp.test",
                "introspection-url", "http://idp.test/introspect", "introspection-client-id", "rs", "introspection-client-secret", "s",
                "accepted-token-types", "at+jwt"))).hasMessageContaining("introspection");
    }

    @Test
    void the_jwks_fetch_and_introspection_cache_settings_have_short_defaults() {
        ResourceServerConfig rs = load(Optional.empty(), Optional.empty(), Map.of(), Map.of()).resourceServer();
        assertThat(rs.jwksFetchTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(rs.jwksRefetchInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(rs.introspectionCacheTime()).isEqualTo(Duration.ofSeconds(60));
        assertThat(load(Optional.empty(), Optional.empty(), Map.of(), Map.of("introspection-cache-time", "10s")).resourceServer()
                .introspectionCacheTime()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void flags_beat_environment_beat_env_file_beat_config_file() throws Exception {
        Path file = Files.writeString(dir.resolve("gatehouse.yaml"), "port: 9100\nsession-mode: stateless\npage-size: 7\nsse-keep-alive: 5s\n");
        Path env = Files.writeString(dir.resolve("gatehouse.env"), "# comment\nGATEHOUSE_PORT=9200\nexport GATEHOUSE_PAGE_SIZE=\"8\"\n");
        GatehouseConfig fileOnly = load(Optional.of(file), Optional.empty(), Map.of(), Map.of());
        assertThat(fileOnly.transport().port()).isEqualTo(9100);
        assertThat(fileOnly.transport().sseKeepAlive()).isEqualTo(Duration.ofSeconds(5));
        GatehouseConfig withEnvFile = load(Optional.of(file), Optional.of(env), Map.of(), Map.of());
        assertThat(withEnvFile.transport().port()).isEqualTo(9200);
        assertThat(withEnvFile.pageSize()).isEqualTo(8);
        GatehouseConfig withEnvironment = load(Optional.of(file), Optional.of(env), Map.of("GATEHOUSE_PORT", "9300", "PATH", "/bin"), Map.of());
        assertThat(withEnvironment.transport().port()).isEqualTo(9300);
        GatehouseConfig withFlag = load(Optional.of(file), Optional.of(env), Map.of("GATEHOUSE_PORT", "9300"), Map.of("port", "9400"));
        assertThat(withFlag.transport().port()).isEqualTo(9400);
        assertThat(withFlag.transport().sessionMode()).isEqualTo(SessionMode.STATELESS);
    }

    @Test
    void a_bad_value_names_the_setting_and_where_it_came_from() {
        assertThatThrownBy(() -> load(Optional.empty(), Optional.empty(), Map.of("GATEHOUSE_PORT", "nine"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'port'").hasMessageContaining("GATEHOUSE_PORT").hasMessageContaining("whole number");
        assertThatThrownBy(() -> load(Optional.empty(), Optional.empty(), Map.of(), Map.of("port", "70000")))
                .hasMessageContaining("between 0 and 65535");
        assertThatThrownBy(() -> load(Optional.empty(), Optional.empty(), Map.of(), Map.of("session-mode", "sticky")))
                .hasMessageContaining("stateful").hasMessageContaining("stateless");
        assertThatThrownBy(() -> load(Optional.empty(), Optional.empty(), Map.of(), Map.of("idle-timeout", "soon")))
                .hasMessageContaining("duration");
        assertThatThrownBy(() -> load(Optional.empty(), Optional.empty(), Map.of(), Map.of("trusted-proxies", "10.0.0.0/8,lb.internal/x")))
                .hasMessageContaining("'trusted-proxies'").hasMessageContaining("'lb.internal/x'");
        assertThatThrownBy(() -> load(Optional.empty(), Optional.empty(), Map.of(), Map.of("public-url", "ftp://x")))
                .hasMessageContaining("http(s)");
        assertThatThrownBy(() -> load(Optional.empty(), Optional.empty(), Map.of(), Map.of("fixtures", "everything")))
                .hasMessageContaining("unknown fixture pack");
        assertThatThrownBy(() -> load(Optional.empty(), Optional.empty(), Map.of(), Map.of("audit-log", "loud")))
                .hasMessageContaining("must be one of [all, denials]");
        assertThat(load(Optional.empty(), Optional.empty(), Map.of("GATEHOUSE_AUDIT_LOG", "denials"), Map.of())
                .resourceServer().auditAllowed()).isFalse();
        assertThatThrownBy(() -> load(Optional.empty(), Optional.empty(), Map.of(), Map.of("bridge", "true")))
                .hasMessageContaining("'bridge'").hasMessageContaining("--auth external");
    }

    @Test
    void unknown_settings_are_refused_rather_than_ignored() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"), "prot: 9000\n");
        assertThatThrownBy(() -> load(Optional.of(file), Optional.empty(), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("Unknown setting 'prot'");
        Path env = Files.writeString(dir.resolve("bad.env"), "PORT=9000\n");
        assertThatThrownBy(() -> load(Optional.empty(), Optional.of(env), Map.of(), Map.of()))
                .hasMessageContaining("GATEHOUSE_");
    }

    @Test
    void a_missing_or_broken_config_file_is_a_clear_error() throws Exception {
        assertThatThrownBy(() -> load(Optional.of(dir.resolve("absent.yaml")), Optional.empty(), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("Cannot read the config file");
        Path broken = Files.writeString(dir.resolve("broken.yaml"), "port: [9000\n");
        assertThatThrownBy(() -> load(Optional.of(broken), Optional.empty(), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not valid YAML");
    }

    @Test
    void no_authentication_is_refused_on_a_non_loopback_address() {
        assertThatThrownBy(() -> load(Optional.empty(), Optional.empty(), Map.of(), Map.of("host", "0.0.0.0", "auth", "none")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("loopback");
        assertThat(load(Optional.empty(), Optional.empty(), Map.of(), Map.of("host", "::1", "auth", "none")).transport().host()).isEqualTo("::1");
    }

    @Test
    void demo_users_are_refused_on_a_network_address_unless_allowed() {
        assertThatThrownBy(() -> load(Optional.empty(), Optional.empty(), Map.of(), Map.of("host", "0.0.0.0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("Demo users");
        assertThat(load(Optional.empty(), Optional.empty(), Map.of(), Map.of("host", "0.0.0.0", "allow-demo-users-on-network", "true"))
                .auth()).isEqualTo(AuthMode.EMBEDDED);
        assertThat(load(Optional.empty(), Optional.empty(), Map.of(), Map.of("host", "0.0.0.0", "demo-users", "false"))
                .embedded().demoUsers()).isFalse();
    }

    @Test
    @Tag("attack")
    void demo_users_are_refused_behind_a_public_url_that_is_not_loopback_unless_allowed() {
        // bound to loopback behind a reverse proxy: the public URL, not the bind address, says who reaches the login page
        assertThatThrownBy(() -> load(Optional.empty(), Optional.empty(), Map.of(), Map.of("public-url", "https://mcp.example.com")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("Demo users").hasMessageContaining("public-url");
        assertThat(load(Optional.empty(), Optional.empty(), Map.of(), Map.of("public-url", "https://mcp.example.com",
                "allow-demo-users-on-network", "true")).embedded().demoUsers()).isTrue();
        assertThat(load(Optional.empty(), Optional.empty(), Map.of(), Map.of("public-url", "http://localhost:9100"))
                .embedded().demoUsers()).isTrue();
        assertThat(load(Optional.empty(), Optional.empty(), Map.of(), Map.of("public-url", "https://mcp.example.com",
                "auth", "local-keys")).auth()).isEqualTo(AuthMode.LOCAL_KEYS);
    }

    @Test
    void client_metadata_documents_are_on_by_default_and_can_be_turned_off() throws Exception {
        assertThat(load(Optional.empty(), Optional.empty(), Map.of(), Map.of()).embedded().metadataDocuments()).isTrue();
        assertThat(load(Optional.empty(), Optional.empty(), Map.of(), Map.of("client-metadata-documents", "off"))
                .embedded().metadataDocuments()).isFalse();
        Path file = Files.writeString(dir.resolve("cimd.yaml"), "client-metadata-documents: off\n");
        assertThat(load(Optional.of(file), Optional.empty(), Map.of(), Map.of()).embedded().metadataDocuments()).isFalse();
        assertThatThrownBy(() -> load(Optional.empty(), Optional.empty(), Map.of(), Map.of("client-metadata-documents", "sometimes")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("client-metadata-documents");
    }

    @Test
    void the_public_url_defines_the_canonical_mcp_url() {
        GatehouseConfig config = load(Optional.empty(), Optional.empty(), Map.of(), Map.of("public-url", "https://mcp.example.com/",
                "demo-users", "false"));
        assertThat(config.mcpUrl(9000)).hasToString("https://mcp.example.com/mcp");
    }

    @Test
    void lists_accept_yaml_sequences_and_commas() throws Exception {
        Path file = Files.writeString(dir.resolve("o.yaml"), "allowed-origins:\n  - https://a.example\n  - https://b.example\n");
        assertThat(load(Optional.of(file), Optional.empty(), Map.of(), Map.of()).transport().allowedOrigins())
                .containsExactly("https://a.example", "https://b.example");
        assertThat(load(Optional.empty(), Optional.empty(), Map.of(), Map.of("allowed-hosts", "a:1, b:2")).transport().allowedHosts())
                .containsExactly("a:1", "b:2");
    }

    @Test
    void the_tutorials_keycloak_env_files_mean_an_external_keycloak_issuer() throws Exception {
        Path direct = Path.of("../keycloak/keycloak_direct.env");
        GatehouseConfig config = load(Optional.empty(), Optional.of(direct), Map.of(), Map.of());
        assertThat(config.auth()).isEqualTo(AuthMode.EXTERNAL);
        assertThat(config.resourceServer().issuer()).contains("http://localhost:8080/realms/mcp-realm");
        assertThat(config.resourceServer().audiences()).containsExactly("http://localhost:9000/mcp");
        assertThat(config.mcpUrl(1234)).hasToString("http://localhost:9000/mcp");
        GatehouseConfig proxied = load(Optional.empty(), Optional.of(Path.of("../keycloak/keycloak_proxy.env")), Map.of(), Map.of());
        assertThat(proxied.resourceServer().issuer()).contains("http://localhost:9090/realms/mcp-realm");
        Path urlAndRealm = Files.writeString(dir.resolve("kc.env"), "KEYCLOAK_URL=http://localhost:8081/\nKEYCLOAK_REALM=other\n");
        assertThat(load(Optional.empty(), Optional.of(urlAndRealm), Map.of(), Map.of()).resourceServer().issuer())
                .contains("http://localhost:8081/realms/other");
        assertThat(load(Optional.empty(), Optional.of(direct), Map.of(), Map.of("auth", "local-keys")).auth()).isEqualTo(AuthMode.LOCAL_KEYS);
    }

    @Test
    void defaults_given_in_code_sit_between_the_built_in_defaults_and_every_other_layer() throws Exception {
        Map<String, String> code = Map.of("port", "9100", "session-mode", "stateless", "auth", "local-keys");
        GatehouseConfig fromCode = GatehouseConfig.from(Settings.load(code, Optional.empty(), Optional.empty(), Map.of(), Map.of()));
        assertThat(fromCode.transport().port()).isEqualTo(9100);
        assertThat(fromCode.auth()).isEqualTo(AuthMode.LOCAL_KEYS);
        Path file = Files.writeString(dir.resolve("code.yaml"), "port: 9200\n");
        GatehouseConfig overridden = GatehouseConfig.from(Settings.load(code, Optional.of(file),
                Optional.of(Path.of("../keycloak/keycloak_direct.env")), Map.of("GATEHOUSE_SESSION_MODE", "stateful"), Map.of()));
        assertThat(overridden.transport().port()).isEqualTo(9200);
        assertThat(overridden.transport().sessionMode()).isEqualTo(SessionMode.STATEFUL);
        assertThat(overridden.auth()).as("the tutorial's env file means external over a default in code").isEqualTo(AuthMode.EXTERNAL);
        assertThatThrownBy(() -> GatehouseConfig.from(Settings.load(Map.of("port", "x"), Optional.empty(), Optional.empty(), Map.of(),
                Map.of()))).isInstanceOf(ConfigException.class).hasMessageContaining("'port' (from code (GatehouseSettings))");
    }

    @Test
    void registration_is_open_token_or_off_and_a_registration_token_alone_means_token() {
        assertThat(embedded(Map.of()).registrationOpen()).isTrue();
        assertThat(embedded(Map.of()).registrationToken()).isEmpty();
        assertThat(embedded(Map.of("registration", "off")).registrationOpen()).isFalse();
        EmbeddedAsConfig token = embedded(Map.of("registration", "token", "registration-token", "t0ken"));
        assertThat(token.registrationOpen()).isTrue();
        assertThat(token.registrationToken()).contains("t0ken");
        assertThat(embedded(Map.of("registration-token", "t0ken")).registrationToken()).contains("t0ken");
    }

    @Test
    void contradicting_registration_settings_stop_the_server_naming_both() {
        assertThatThrownBy(() -> embedded(Map.of("registration", "token")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'registration'").hasMessageContaining("registration-token");
        for (String mode : new String[] {"open", "off"}) {
            assertThatThrownBy(() -> embedded(Map.of("registration", mode, "registration-token", "t0ken")))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("'registration'").hasMessageContaining("registration-token")
                    .hasMessageNotContaining("t0ken");
        }
        assertThatThrownBy(() -> embedded(Map.of("registration", "closed")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must be one of [open, token, off]");
    }

    private static EmbeddedAsConfig embedded(Map<String, String> flags) {
        return load(Optional.empty(), Optional.empty(), Map.of(), flags).embedded();
    }
}
