package io.gatehouse.server.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.as.federation.ClientAuthentication;
import io.gatehouse.as.federation.FederationSettings;
import java.io.IOException;
import java.net.URI;
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

/** Issue 18, point 1: the federated login's settings, from the config file's login: section, flags and the environment. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("issue-18")
class LoginConfigTest {

    @TempDir
    Path dir;

    private GatehouseConfig config(String yaml, Map<String, String> environment, Map<String, String> flags) throws IOException {
        Path file = Files.writeString(dir.resolve("gatehouse.yaml"), "data-dir: " + dir.resolve("data") + "\n" + yaml);
        return GatehouseConfig.from(Settings.load(Optional.of(file), Optional.empty(), environment, flags));
    }

    @Test
    void the_login_section_gives_the_provider_the_client_the_claims_and_the_check_interval() throws IOException {
        GatehouseConfig config = config("""
                login:
                  issuer: https://sso.example.com/realms/company
                  client-id: gatehouse
                  scopes: [openid, profile, email, roles]
                  username-claim: preferred_username
                  email-claim: mail
                  roles-claim: realm_access.roles
                  refresh-check-interval: 2m
                """, Map.of("GATEHOUSE_LOGIN_CLIENT_SECRET", "upstream-secret-123"), Map.of());
        FederationSettings login = config.embedded().login().orElseThrow();
        assertThat(login.issuer()).isEqualTo(URI.create("https://sso.example.com/realms/company"));
        assertThat(login.clientId()).isEqualTo("gatehouse");
        assertThat(login.scopes()).containsExactly("openid", "profile", "email", "roles");
        assertThat(login.claims().email()).isEqualTo("mail");
        assertThat(login.claims().roles()).isEqualTo("realm_access.roles");
        assertThat(login.refreshCheckInterval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(login.clientAuthentication()).isEqualTo(new ClientAuthentication.SharedSecret("client_secret_basic", "upstream-secret-123"));
        assertThat(config.embedded().toString()).contains("sso.example.com").doesNotContain("upstream-secret-123");
        // federated login replaces the demo users unless they are asked for
        assertThat(config.embedded().demoUsers()).isFalse();
    }

    @Test
    void the_essentials_are_flags_and_the_defaults_fill_the_rest() throws IOException {
        GatehouseConfig config = config("", Map.of("GATEHOUSE_LOGIN_CLIENT_SECRET", "s"),
                Map.of("login-issuer", "http://127.0.0.1:8080/realms/x", "login-client-id", "gh"));
        FederationSettings login = config.embedded().login().orElseThrow();
        assertThat(login.scopes()).containsExactly("openid", "profile", "email");
        assertThat(login.claims().username()).isEqualTo("preferred_username");
        assertThat(login.refreshCheckInterval()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void the_secret_may_come_from_another_variable_and_private_key_jwt_keeps_its_key_in_the_data_directory() throws IOException {
        FederationSettings other = config("""
                login: {issuer: "https://idp.example", client-id: gh, client-secret-env: MY_SECRET, client-auth: client_secret_post}
                """, Map.of("MY_SECRET", "from-my-variable"), Map.of()).embedded().login().orElseThrow();
        assertThat(other.clientAuthentication()).isEqualTo(new ClientAuthentication.SharedSecret("client_secret_post", "from-my-variable"));
        FederationSettings jwt = config("""
                login: {issuer: "https://idp.example", client-id: gh, client-auth: private_key_jwt}
                """, Map.of(), Map.of()).embedded().login().orElseThrow();
        assertThat(jwt.clientAuthentication()).isEqualTo(new ClientAuthentication.PrivateKeyJwt(dir.resolve("data").resolve("login-client-key.json")));
    }

    @Test
    @Tag("attack")
    void a_plain_http_provider_off_loopback_is_refused_its_discovery_and_keys_would_travel_in_clear_text() throws IOException {
        Map<String, String> secret = Map.of("GATEHOUSE_LOGIN_CLIENT_SECRET", "s3cret");
        assertThatThrownBy(() -> config("login: {issuer: \"http://sso.example.com/realms/company\", client-id: gh}\n", secret, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("login-issuer").hasMessageContaining("https");
        assertThat(config("login: {issuer: \"http://localhost:8080/realms/company\", client-id: gh}\n", secret, Map.of()).embedded().login())
                .isPresent();
    }

    @Test
    void mistakes_stop_the_start_with_a_message_naming_the_setting() {
        assertThatThrownBy(() -> config("login: {issuer: \"https://idp.example\"}\n", Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("login-client-id");
        assertThatThrownBy(() -> config("login: {issuer: \"https://idp.example\", client-id: gh}\n", Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("GATEHOUSE_LOGIN_CLIENT_SECRET");
        assertThatThrownBy(() -> config("login: {client-id: gh}\n", Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("needs login-issuer");
        assertThatThrownBy(() -> config("login: {issuer: \"https://idp.example\", client-id: gh, scopes: [profile]}\n",
                Map.of("GATEHOUSE_LOGIN_CLIENT_SECRET", "s"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("openid");
        assertThatThrownBy(() -> config("login: {issuer: \"https://idp.example\", client-id: gh, client-auth: private_key_jwt}\n",
                Map.of("GATEHOUSE_LOGIN_CLIENT_SECRET", "s"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("private_key_jwt");
        assertThatThrownBy(() -> config("login: {issuer: \"https://idp.example\", client-id: gh, roles-claim: \"a b\"}\n",
                Map.of("GATEHOUSE_LOGIN_CLIENT_SECRET", "s"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("login-roles-claim");
        assertThatThrownBy(() -> config("login: {issuer: \"https://idp.example\", client-id: gh, colour: blue}\n", Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("login.colour");
        assertThatThrownBy(() -> config("auth: external\nissuer: \"https://idp.example\"\nlogin: {issuer: \"https://idp.example\", client-id: gh}\n",
                Map.of("GATEHOUSE_LOGIN_CLIENT_SECRET", "s"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--auth embedded only");
    }

    @Test
    void local_users_next_to_the_provider_only_when_allowed() {
        String users = """
                users:
                  - username: carol
                    password-hash: "pbkdf2-sha256$1$AAAA$AAAA"
                """;
        Map<String, String> secret = Map.of("GATEHOUSE_LOGIN_CLIENT_SECRET", "s");
        assertThatThrownBy(() -> config("login: {issuer: \"https://idp.example\", client-id: gh}\n" + users, secret, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("allow-local-users");
        assertThatThrownBy(() -> config("demo-users: true\nlogin: {issuer: \"https://idp.example\", client-id: gh}\n", secret, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("login-allow-local-users");
    }

    @Test
    void local_users_stay_when_allowed() throws IOException {
        GatehouseConfig config = config("""
                demo-users: true
                login: {issuer: "https://idp.example", client-id: gh, allow-local-users: true}
                """, Map.of("GATEHOUSE_LOGIN_CLIENT_SECRET", "s"), Map.of());
        assertThat(config.embedded().demoUsers()).isTrue();
        assertThat(config.embedded().login()).isPresent();
    }
}
