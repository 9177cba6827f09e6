package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code gatehouse idp-check} measures the embedded authorization server: the table it prints, as JSON, row by row. */
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

    private static String result(JsonNode report, String id) {
        for (JsonNode check : report.path("checks")) {
            if (check.path("id").asString().equals(id)) {
                return check.path("result").asString();
            }
        }
        throw new AssertionError("no check " + id + " in " + report);
    }
}
