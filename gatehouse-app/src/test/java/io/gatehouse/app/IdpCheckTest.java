package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.as.federation.FederationSettings;
import io.gatehouse.server.internal.config.GatehouseConfig;
import io.gatehouse.server.internal.config.Settings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code gatehouse idp-check} measures the embedded authorization server: the table it prints, as JSON, row by row;
 * and for a provider MCP clients cannot use as it is, it names federated login as the fix (issue 18 point 5).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class IdpCheckTest {

    @Test
    void the_embedded_authorization_server_is_usable_as_it_is_and_every_row_says_why() throws Exception {
        // RFC 8707 is measured with client_credentials, which only a client the operator configured may use
        java.nio.file.Path dir = Files.createTempDirectory("gatehouse-idp");
        java.nio.file.Path config = Files.writeString(dir.resolve("gatehouse.yaml"), """
                clients:
                  - client-id: idp-check-machine
                    grant-types: [client_credentials]
                    token-endpoint-auth-method: client_secret_basic
                    client-secret-env: IDP_CHECK_SECRET
                    scopes: [mcp:read]
                """);
        try (RunningGatehouse gatehouse = RunningGatehouse.start(Map.of("IDP_CHECK_SECRET", "idp-check-machine-secret"), "auth", "embedded",
                "demo-password", "idp-check", "data-dir", dir.toString(), "config", config.toString())) {
            StringWriter out = new StringWriter();
            CommandLine cli = Main.commandLine();
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(new StringWriter()));
            int code = cli.execute("idp-check", gatehouse.mcpUrl().toString(), "--register", "--json",
                    "--client-id", "idp-check-machine", "--client-secret", "idp-check-machine-secret");
            JsonNode report = JsonMapper.builder().build().readTree(out.toString());
            assertThat(code).as(out.toString()).isZero();
            assertThat(report.path("issuer").asString()).isEqualTo("http://localhost:" + gatehouse.gatehouse.port());
            assertThat(report.path("verdict").asString()).isEqualTo("usable");
            assertThat(report.has("recommendation")).as("no fix for a usable provider").isFalse();
            assertThat(result(report, "rfc8414")).isEqualTo("yes");
            assertThat(result(report, "oidc")).isEqualTo("no");
            assertThat(result(report, "pkce")).isEqualTo("yes");
            assertThat(result(report, "pkce-enforced")).isEqualTo("yes");
            assertThat(result(report, "dcr")).isEqualTo("yes");
            assertThat(result(report, "cimd")).isEqualTo("yes");
            assertThat(result(report, "rfc9207")).isEqualTo("yes");
            assertThat(result(report, "rfc8707")).isEqualTo("yes");
            assertThat(result(report, "cors")).isEqualTo("yes");
            assertThat(report.path("checks").toString()).contains("resource narrows aud to [" + gatehouse.mcpUrl() + "]");
        }
    }

    @Test
    void something_that_is_no_authorization_server_is_not_usable() throws Exception {
        try (RunningGatehouse plain = RunningGatehouse.start()) {
            StringWriter out = new StringWriter();
            CommandLine cli = Main.commandLine();
            cli.setOut(new PrintWriter(out));
            int code = cli.execute("idp-check", "http://localhost:" + plain.gatehouse.port());
            assertThat(code).isEqualTo(1);
            assertThat(out.toString()).contains("no metadata at any well-known location", "not usable");
        }
    }

    /**
     * A company's Keycloak realm as idp-check sees it (played by a small server on loopback): OpenID Connect, PKCE
     * S256, a registration endpoint that refuses anonymous registration, as a typical company realm does.
     */
    private static HostileHttpServer companyRealm() throws Exception {
        HostileHttpServer provider = new HostileHttpServer();
        String issuer = provider.origin() + "/realms/company";
        String metadata = """
                {"issuer":"%1$s","authorization_endpoint":"%1$s/protocol/openid-connect/auth","token_endpoint":"%1$s/protocol/openid-connect/token",
                 "jwks_uri":"%1$s/protocol/openid-connect/certs","registration_endpoint":"%1$s/clients-registrations/openid-connect",
                 "id_token_signing_alg_values_supported":["RS256"],"response_types_supported":["code"],
                 "code_challenge_methods_supported":["plain","S256"],"grant_types_supported":["authorization_code","refresh_token"],
                 "authorization_response_iss_parameter_supported":true}""".formatted(issuer);
        provider.json("GET", "/.well-known/oauth-authorization-server/realms/company", 200, metadata)
                .json("GET", "/realms/company/.well-known/openid-configuration", 200, metadata)
                .json("POST", "/realms/company/clients-registrations/openid-connect", 403,
                        "{\"error\":\"insufficient_scope\",\"error_description\":\"Policy 'Trusted Hosts' rejected request to "
                                + "client-registration service. Details: Host not trusted.\"}");
        return provider;
    }

    @Test
    @Tag("issue-18-5")
    void a_provider_that_refuses_anonymous_registration_is_usable_only_with_the_bridge_and_federated_login_is_named_as_the_fix(
            @TempDir java.nio.file.Path dir) throws Exception {
        try (HostileHttpServer provider = companyRealm()) {
            String issuer = provider.origin() + "/realms/company";
            StringWriter out = new StringWriter();
            CommandLine cli = Main.commandLine();
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(new StringWriter()));
            int code = cli.execute("idp-check", issuer, "--register", "--json");

            JsonNode report = JsonMapper.builder().build().readTree(out.toString());
            assertThat(code).as(out.toString()).isEqualTo(3);
            assertThat(result(report, "dcr")).isEqualTo("no");
            assertThat(report.path("verdict").asString()).isEqualTo("usable_with_bridge");
            JsonNode fix = report.path("recommendation");
            assertThat(fix.path("mode").asString()).isEqualTo("federated-login");
            assertThat(fix.path("provider").asString()).isEqualTo("Keycloak");
            assertThat(fix.path("roles-claim").asString()).isEqualTo("realm_access.roles");
            assertThat(fix.path("register").asString()).contains("/oauth/login/callback");
            assertThat(fix.path("config").asString()).contains("login:\n  issuer: " + issuer + "\n", "client-id: YOUR-CLIENT-ID",
                    "GATEHOUSE_LOGIN_CLIENT_SECRET", "roles-claim: realm_access.roles");

            // the section is Gatehouse's own config once the client id is filled in and the secret is in the environment
            java.nio.file.Path file = Files.writeString(dir.resolve("gatehouse.yaml"), "data-dir: " + dir.resolve("data") + "\n"
                    + fix.path("config").asString().replace("YOUR-CLIENT-ID", "gatehouse"));
            GatehouseConfig config = GatehouseConfig.from(Settings.load(Optional.of(file), Optional.empty(),
                    Map.of("GATEHOUSE_LOGIN_CLIENT_SECRET", "from-the-provider"), Map.of()));
            FederationSettings login = config.embedded().login().orElseThrow();
            assertThat(login.issuer()).hasToString(issuer);
            assertThat(login.clientId()).isEqualTo("gatehouse");
            assertThat(login.claims().roles()).isEqualTo("realm_access.roles");
            assertThat(login.scopes()).containsExactly("openid", "profile", "email");
        }
    }

    @Test
    @Tag("issue-18-5")
    void the_table_ends_with_the_fix_and_a_login_section_to_paste() throws Exception {
        try (HostileHttpServer provider = companyRealm()) {
            String issuer = provider.origin() + "/realms/company";
            StringWriter out = new StringWriter();
            CommandLine cli = Main.commandLine();
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(new StringWriter()));
            int code = cli.execute("idp-check", issuer, "--register");

            assertThat(code).isEqualTo(3);
            String text = out.toString();
            assertThat(text).contains("Verdict: usable with Gatehouse's bridge", "Fix: federated login.", "sign in at this Keycloak",
                    "<public-url>/oauth/login/callback");
            assertThat(text.substring(text.indexOf("Fix: federated login."))).contains("login:\n  issuer: " + issuer + "\n",
                    "  roles-claim: realm_access.roles\n", "access:\n  role-scopes:");
        }
    }

    private static String result(JsonNode report, String id) {
        for (JsonNode check : report.path("checks")) {
            if (check.path("id").asString().equals(id)) {
                return check.path("result").asString();
            }
        }
        throw new AssertionError("no check " + id + " in " + report);
    }
}
