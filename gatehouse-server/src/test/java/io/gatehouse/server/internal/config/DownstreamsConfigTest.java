package io.gatehouse.server.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.gateway.UpstreamCredentials;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code downstreams:} section (issue 17 point 2) and {@code auth: token-exchange} upstreams (point 3): what is
 * read, and every mistake refused at start with one line naming the entry and what to do.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("issue-17")
class DownstreamsConfigTest {

    static final String EXCHANGE_CLIENT = """
            clients:
              - client-id: tools
                grant-types: [urn:ietf:params:oauth:grant-type:token-exchange]
                token-endpoint-auth-method: client_secret_basic
                client-secret-env: TOOLS_SECRET
                token-exchange-audiences: [reports-api]
            """;
    static final Map<String, String> ENV = Map.of("TOOLS_SECRET", "s3cret-value", "KC_SECRET", "kc-secret-value");

    @TempDir
    Path dir;

    private GatehouseConfig load(String yaml, String auth) throws Exception {
        Path file = Files.writeString(dir.resolve("gatehouse.yaml"), yaml);
        return GatehouseConfig.from(Settings.load(Optional.of(file), Optional.empty(), ENV,
                Map.of("auth", auth, "data-dir", dir.resolve("data").toString())));
    }

    private void refused(String yaml, String auth, String... words) {
        assertThatThrownBy(() -> load(yaml, auth)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").contains(words)
                        .doesNotContain("s3cret-value").doesNotContain("kc-secret-value"));
    }

    @Test
    void an_embedded_and_an_external_downstream_are_read_with_the_secret_from_the_environment() throws Exception {
        GatehouseConfig config = load(EXCHANGE_CLIENT + """
                downstreams:
                  reports:
                    audience: reports-api
                    issuer: embedded
                    client-id: tools
                    scopes: [mcp:read]
                """, "embedded");
        DownstreamConfig reports = config.downstreams().get("reports");
        assertThat(reports.audience()).isEqualTo("reports-api");
        assertThat(reports.scopes()).contains(Set.of("mcp:read"));
        assertThat(reports.issuer()).isEqualTo(new DownstreamConfig.Embedded("tools"));
        GatehouseConfig external = GatehouseConfig.from(Settings.load(Optional.of(Files.writeString(dir.resolve("external.yaml"), """
                downstreams:
                  tickets:
                    audience: tickets
                    issuer: http://localhost:8080/realms/mcp
                    client-id: gatehouse
                    client-secret-env: KC_SECRET
                """)), Optional.empty(), ENV, Map.of("auth", "external", "issuer", "http://localhost:8080/realms/mcp")));
        DownstreamConfig.External tickets = (DownstreamConfig.External) external.downstreams().get("tickets").issuer();
        assertThat(tickets.issuer()).contains(URI.create("http://localhost:8080/realms/mcp"));
        assertThat(tickets.clientSecret().value()).isEqualTo("kc-secret-value");
        assertThat(external.downstreams().toString()).doesNotContain("kc-secret-value");
    }

    @Test
    void no_section_means_no_downstreams() throws Exception {
        assertThat(load("port: 0\n", "none").downstreams()).isEmpty();
    }

    @Test
    void downstreams_need_an_authentication_mode_whose_callers_present_a_token() {
        refused("""
                downstreams:
                  tickets: {audience: tickets, issuer: "https://sso.example.com/realms/mcp", client-id: g,
                            client-secret-env: KC_SECRET}
                """, "none", "with auth none");
    }

    @Test
    void an_embedded_downstream_needs_the_embedded_server() {
        refused("""
                downstreams:
                  reports: {audience: reports-api, issuer: embedded, client-id: tools}
                """, "local-keys", "downstreams.reports.issuer is embedded", "not running");
    }

    @Test
    @Tag("attack")
    void an_embedded_downstream_needs_a_client_allowed_to_exchange_for_its_audience() {
        refused(EXCHANGE_CLIENT + """
                downstreams:
                  reports: {audience: other-api, issuer: embedded, client-id: tools}
                """, "embedded", "downstreams.reports", "token-exchange-audiences", "other-api");
        refused(EXCHANGE_CLIENT + """
                downstreams:
                  reports: {audience: reports-api, issuer: embedded, client-id: nobody}
                """, "embedded", "'nobody' is not in the clients: section");
    }

    @Test
    @Tag("attack")
    void an_empty_scopes_list_is_refused_because_an_exchange_asking_for_no_scope_carries_all_the_callers() {
        refused(EXCHANGE_CLIENT + """
                downstreams:
                  reports: {audience: reports-api, issuer: embedded, client-id: tools, scopes: []}
                """, "embedded", "downstreams.reports.scopes is empty");
    }

    @Test
    @Tag("attack")
    void an_external_downstream_is_refused_beside_the_embedded_server_whose_tokens_it_would_be_handed() {
        refused("""
                downstreams:
                  tickets: {audience: tickets, issuer: "https://sso.example.com/realms/mcp", client-id: gatehouse,
                            client-secret-env: KC_SECRET}
                """, "embedded", "downstreams.tickets", "issuer: embedded");
    }

    @Test
    void an_external_downstream_needs_its_secret_in_the_environment_never_in_the_file() {
        refused("""
                downstreams:
                  tickets: {audience: tickets, issuer: "https://sso.example.com/realms/mcp", client-id: gatehouse}
                """, "none", "downstreams.tickets", "client-secret-env");
        refused("""
                downstreams:
                  tickets: {audience: tickets, issuer: "https://sso.example.com/realms/mcp", client-id: gatehouse,
                            client-secret-env: MISSING}
                """, "none", "MISSING is not set");
        refused("""
                downstreams:
                  tickets: {audience: tickets, issuer: "https://sso.example.com", client-id: gatehouse, client-secret: x}
                """, "none", "Unknown key downstreams.tickets.client-secret");
    }

    @Test
    @Tag("attack")
    void an_external_issuer_is_https_or_loopback_http() {
        refused("""
                downstreams:
                  tickets: {audience: tickets, issuer: "http://sso.example.com/realms/mcp", client-id: g, client-secret-env: KC_SECRET}
                """, "none", "downstreams.tickets.issuer must be an https URL");
        refused("""
                downstreams:
                  tickets: {audience: tickets, issuer: "https://sso.example.com", token-endpoint: "https://sso.example.com/t",
                            client-id: g, client-secret-env: KC_SECRET}
                """, "none", "exactly one of issuer");
    }

    @Test
    void an_audience_and_a_client_id_are_required_and_names_are_plain() {
        refused("""
                downstreams:
                  reports: {issuer: embedded, client-id: tools}
                """, "embedded", "downstreams.reports.audience is required");
        refused("""
                downstreams:
                  "re ports": {audience: a, issuer: embedded, client-id: tools}
                """, "embedded", "'re ports'");
    }

    @Test
    void a_token_exchange_upstream_names_a_configured_downstream() throws Exception {
        String upstream = """
                upstreams:
                  - name: reports
                    url: http://127.0.0.1:9000/mcp
                    auth: token-exchange
                    downstream: %s
                """;
        refused(EXCHANGE_CLIENT + upstream.formatted("missing"), "embedded", "upstream 'reports'", "downstream 'missing'",
                "downstreams:");
        GatehouseConfig config = load(EXCHANGE_CLIENT + upstream.formatted("reports") + """
                downstreams:
                  reports: {audience: reports-api, issuer: embedded, client-id: tools}
                """, "embedded");
        assertThat(config.upstreams().getFirst().credentials()).isEqualTo(new UpstreamCredentials.TokenExchange("reports"));
    }

    @Test
    void token_exchange_is_refused_for_a_stdio_upstream_and_beside_credentials() {
        refused("""
                upstreams:
                  - name: files
                    command: [npx, server]
                    auth: token-exchange
                    downstream: reports
                """, "none", "upstream 'files'", "token-exchange is for an http upstream");
        refused("""
                upstreams:
                  - name: reports
                    url: http://127.0.0.1:9000/mcp
                    auth: token-exchange
                    downstream: reports
                    credentials: {value-env: TOOLS_SECRET}
                """, "none", "cannot both be given");
        refused("""
                upstreams:
                  - name: reports
                    url: http://127.0.0.1:9000/mcp
                    auth: passthrough
                """, "none", "auth may only be token-exchange");
    }
}
