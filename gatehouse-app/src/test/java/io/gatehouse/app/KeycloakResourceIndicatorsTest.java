package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keycloak 26.7 with {@code --features=resource-indicators} and the realm variant for it: RFC 8707
 * {@code resource} narrows {@code aud} to the requested MCP URL, and {@code gatehouse idp-check} measures it so.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("keycloak")
class KeycloakResourceIndicatorsTest {

    static KeycloakServer keycloak;
    static String mcpUrl;

    @BeforeAll
    static void start() throws Exception {
        mcpUrl = "http://localhost:" + KeycloakServer.freePort() + "/mcp";
        keycloak = KeycloakServer.start(mcpUrl, Map.of("KC_VERSION", "26.7.3", "KC_FEATURES", "resource-indicators",
                "KC_REALM_FILE", KeycloakServer.SCRIPT.getParent().resolve("mcp-realm-resource-indicators.json").toString()));
    }

    @AfterAll
    static void stop() {
        if (keycloak != null) {
            keycloak.close();
        }
    }

    @Test
    @Tag("AS-09")
    void idp_check_finds_that_resource_narrows_the_audience() {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(new StringWriter()));
        cli.execute("idp-check", keycloak.issuer(), "--client-id", "mcp-confidential", "--client-secret", "mcp-confidential-secret",
                "--resource", mcpUrl, "--scope", "mcp:read mcp:tools", "--json");
        JsonNode report = JsonMapper.builder().build().readTree(out.toString());
        JsonNode rfc8707 = null;
        for (JsonNode check : report.path("checks")) {
            if (check.path("id").asString().equals("rfc8707")) {
                rfc8707 = check;
            }
        }
        assertThat(rfc8707).as(out.toString()).isNotNull();
        assertThat(rfc8707.path("result").asString()).as(rfc8707.toString()).isEqualTo("yes");
        assertThat(rfc8707.path("detail").asString()).contains("resource narrows aud to [" + mcpUrl + "]");
    }
}
