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
}
