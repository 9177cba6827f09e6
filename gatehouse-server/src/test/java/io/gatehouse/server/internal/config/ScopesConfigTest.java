package io.gatehouse.server.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The config file's scopes section: the operator's descriptions of the scopes, for the consent page. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("issue-15")
class ScopesConfigTest {

    @TempDir
    Path dir;

    @Test
    void a_config_file_gives_each_scope_a_description_that_reaches_the_embedded_server() throws Exception {
        Path file = dir.resolve("gatehouse.yaml");
        Files.writeString(file, """
                auth: embedded
                scopes:
                  mcp:tools: Run the server's tools, which can change your files
                  mcp:tools:deploy: "Deploy <to> production"
                  billing:read: See your invoices
                """);

        GatehouseConfig config = GatehouseConfig.from(Settings.load(Optional.of(file), Optional.empty(), Map.of(), Map.of()));

        assertThat(config.embedded().scopeDescriptions()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "mcp:tools", "Run the server's tools, which can change your files",
                "mcp:tools:deploy", "Deploy <to> production",
                "billing:read", "See your invoices"));
    }

    @Test
    void no_section_means_no_descriptions_of_the_operator() {
        assertThat(ScopesConfig.parse(tools.jackson.databind.node.MissingNode.getInstance())).isEmpty();
    }

    @Test
    void a_section_that_is_not_a_mapping_of_scope_to_text_is_refused_naming_what_is_wrong() {
        assertThatThrownBy(() -> scopes("- mcp:tools")).isInstanceOf(ConfigException.class).hasMessageContaining("must be a mapping");
        assertThatThrownBy(() -> scopes("\"mcp tools\": Two words")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'mcp tools' is not a scope");
        assertThatThrownBy(() -> scopes("mcp:tools: \"\"")).isInstanceOf(ConfigException.class).hasMessageContaining("needs a description");
        assertThatThrownBy(() -> scopes("mcp:tools: [a, b]")).isInstanceOf(ConfigException.class).hasMessageContaining("needs a description");
        assertThatThrownBy(() -> scopes("mcp:tools: " + "x".repeat(301))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("longer than 300");
        assertThatThrownBy(() -> scopes("mcp:tools: \"a\\u202Eb\"")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("control or formatting");
    }

    private static Map<String, String> scopes(String yaml) {
        return ScopesConfig.parse(new YAMLMapper().readTree(yaml));
    }
}
