package io.gatehouse.server.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's settings table is where users look: every setting the server accepts is in it. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReadmeSettingsTest {

    @Test
    void every_setting_is_in_the_readme_settings_table() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String table = readme.substring(readme.indexOf("| setting | default | meaning |"));
        table = table.substring(0, table.indexOf("\n\n"));
        for (String name : ConfigKeys.names()) {
            assertThat(table).as("README settings table row for " + name).contains("`" + name + "`");
        }
    }

    @Test
    void the_gateway_config_example_is_a_configuration_gatehouse_accepts(@TempDir Path dir) throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String section = readme.substring(readme.indexOf("## Protect an existing MCP server"));
        String yaml = section.substring(section.indexOf("```yaml\n") + 8, section.indexOf("```\n", section.indexOf("```yaml\n") + 8));
        Path file = Files.writeString(dir.resolve("gatehouse.yaml"), yaml);

        GatehouseConfig config = GatehouseConfig.from(Settings.load(Optional.of(file), Optional.empty(), Map.of(), Map.of()));

        assertThat(config.upstreams()).extracting(u -> u.name() + " " + u.toolPrefix()).containsExactly("files files_",
                "billing billing_");
        assertThat(config.resourceServer().access().tools()).containsKeys("billing_refund", "files_write_file");
    }

    @Test
    void the_federated_login_example_is_a_configuration_gatehouse_accepts(@TempDir Path dir) throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String section = readme.substring(readme.indexOf("## Sign in with your identity provider"));
        String yaml = section.substring(section.indexOf("```yaml\n") + 8, section.indexOf("```\n", section.indexOf("```yaml\n") + 8));
        Path file = Files.writeString(dir.resolve("gatehouse.yaml"), "data-dir: " + dir.resolve("data") + "\n" + yaml);

        GatehouseConfig config = GatehouseConfig.from(Settings.load(Optional.of(file), Optional.empty(),
                Map.of("GATEHOUSE_LOGIN_CLIENT_SECRET", "from-the-provider"), Map.of()));

        assertThat(config.embedded().login()).hasValueSatisfying(login -> {
            assertThat(login.issuer()).hasToString("https://sso.example.com/realms/company");
            assertThat(login.claims().roles()).isEqualTo("realm_access.roles");
        });
        assertThat(config.resourceServer().access().roleScopes()).containsKeys("mcp-user", "mcp-admin");
    }

    @Test
    @org.junit.jupiter.api.Tag("issue-17")
    void the_downstreams_examples_are_configurations_gatehouse_accepts(@TempDir Path dir) throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String section = readme.substring(readme.indexOf("## Calling other APIs as the user"));
        java.util.List<String> blocks = new java.util.ArrayList<>();
        for (int at = section.indexOf("```yaml\n"); at >= 0 && at < section.indexOf("\n## "); at = section.indexOf("```yaml\n", at + 1)) {
            blocks.add(section.substring(at + 8, section.indexOf("```\n", at + 8)));
        }
        assertThat(blocks).hasSize(3);
        Map<String, String> environment = Map.of("GATEHOUSE_TOOLS_SECRET", "s", "GATEHOUSE_KEYCLOAK_SECRET", "k");
        Path embedded = Files.writeString(dir.resolve("embedded.yaml"), blocks.get(0));
        GatehouseConfig first = GatehouseConfig.from(Settings.load(Optional.of(embedded), Optional.empty(), environment,
                Map.of("auth", "embedded", "data-dir", dir.resolve("data").toString())));
        assertThat(first.downstreams().get("reports").issuer()).isEqualTo(new DownstreamConfig.Embedded("gatehouse-tools"));
        Path keycloak = Files.writeString(dir.resolve("keycloak.yaml"), blocks.get(1));
        GatehouseConfig second = GatehouseConfig.from(Settings.load(Optional.of(keycloak), Optional.empty(), environment,
                Map.of("auth", "external", "issuer", "http://localhost:8080/realms/mcp-realm")));
        assertThat(second.downstreams().get("reports").issuer()).isInstanceOf(DownstreamConfig.External.class);
        Path gateway = Files.writeString(dir.resolve("gateway.yaml"), blocks.get(0).replace("[https://reports.example.com]",
                "[https://reports.example.com/mcp]").replace("reports:", "reports-mcp:").replace("audience: https://reports.example.com",
                "audience: https://reports.example.com/mcp") + blocks.get(2));
        GatehouseConfig third = GatehouseConfig.from(Settings.load(Optional.of(gateway), Optional.empty(), environment,
                Map.of("auth", "embedded", "data-dir", dir.resolve("data").toString())));
        assertThat(third.upstreams()).extracting(u -> u.name()).containsExactly("reports");
    }
}
