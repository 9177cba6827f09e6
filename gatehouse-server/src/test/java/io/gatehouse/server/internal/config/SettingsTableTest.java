package io.gatehouse.server.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Issue 15, point 3: every setting is defined once, and its flag, variable and config key all come from that definition. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("issue-15")
class SettingsTableTest {

    /** A value of the right form for each kind. */
    private static String sample(ConfigKeys.Key key) {
        return switch (key.kind()) {
            case NUMBER -> "7";
            case DURATION -> "7s";
            case SWITCH -> "true";
            case URL -> "http://localhost:1/x";
            case FILE -> "/tmp/some-file";
            case LIST -> "a,b";
            case CHOICE -> key.choices().get(key.choices().size() - 1);
            case TEXT -> "text";
            case SECRET -> "s3cret-value";
        };
    }

    private static CommandSpec parsed(String... args) {
        CommandSpec spec = CommandSpec.create();
        ServeOptions.addTo(spec);
        new CommandLine(spec).parseArgs(args);
        return spec;
    }

    @Test
    void every_setting_has_a_flag_that_sets_it() {
        for (ConfigKeys.Key key : ConfigKeys.all()) {
            Settings settings = ServeOptions.settings(parsed(key.flag(), sample(key)), Map.of(), Map.of());
            assertThat(settings.get(key.name())).as(key.flag()).hasValueSatisfying(v -> {
                assertThat(v.text()).isEqualTo(sample(key));
                assertThat(v.source()).isEqualTo(key.flag());
            });
        }
    }

    @Test
    void every_setting_has_an_environment_variable_that_sets_it() {
        for (ConfigKeys.Key key : ConfigKeys.all()) {
            Settings settings = Settings.load(Optional.empty(), Optional.empty(), Map.of(key.environmentVariable(), sample(key)), Map.of());
            assertThat(settings.get(key.name())).as(key.environmentVariable())
                    .hasValueSatisfying(v -> assertThat(v.text()).isEqualTo(sample(key)));
        }
    }

    @Test
    void every_setting_has_a_config_file_key_that_sets_it(@TempDir Path dir) throws IOException {
        for (ConfigKeys.Key key : ConfigKeys.all()) {
            Path file = Files.writeString(dir.resolve("gatehouse.yaml"), key.name() + ": \"" + sample(key) + "\"\n");
            Settings settings = Settings.load(Optional.of(file), Optional.empty(), Map.of(), Map.of());
            assertThat(settings.get(key.name())).as(key.name() + ":").hasValueSatisfying(v -> assertThat(v.text()).isEqualTo(sample(key)));
        }
    }

    @Test
    void the_help_of_every_flag_is_its_definition_and_secrets_point_to_the_environment() {
        CommandSpec spec = parsed();
        for (ConfigKeys.Key key : ConfigKeys.all()) {
            String help = String.join(" ", spec.findOption(key.flag()).description());
            assertThat(help).as(key.flag()).startsWith(key.description());
            if (key.secret()) {
                assertThat(help).contains(key.environmentVariable());
            }
        }
    }

    @Test
    void list_settings_take_repeated_flags_and_the_old_singular_spellings() {
        Settings settings = ServeOptions.settings(parsed("--allowed-origin", "https://a.example", "--allowed-origins", "https://b.example,https://c.example"),
                Map.of(), Map.of());
        assertThat(settings.get("allowed-origins").orElseThrow().text()).isEqualTo("https://a.example,https://b.example,https://c.example");
    }

    @Test
    void a_value_of_the_wrong_form_is_refused_by_its_kind_naming_the_setting_and_its_source() {
        assertThatThrownBy(() -> GatehouseConfig.from(Settings.load(Optional.empty(), Optional.empty(),
                Map.of("GATEHOUSE_SSE_KEEP_ALIVE", "soon"), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Setting 'sse-keep-alive' (from environment variable GATEHOUSE_SSE_KEEP_ALIVE) must be a duration such as 30s, 10m or 2h, got 'soon'.");
        assertThatThrownBy(() -> GatehouseConfig.from(Settings.load(Optional.empty(), Optional.empty(), Map.of(),
                Map.of("registration", "sometimes"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'registration' (from --registration) must be one of [open, token, off]");
        assertThatThrownBy(() -> GatehouseConfig.from(Settings.load(Optional.empty(), Optional.empty(), Map.of(),
                Map.of("demo-users", "maybe"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'demo-users' (from --demo-users) must be true or false");
    }

    @Test
    void each_setting_is_read_as_the_kind_it_is_defined_with() {
        // reading every setting in each mode runs every typed getter, which refuses a kind other than the definition's
        for (String auth : List.of("none", "local-keys", "embedded", "external")) {
            Map<String, String> flags = new java.util.HashMap<>(Map.of("auth", auth, "data-dir", "/tmp/gatehouse-settings-table-test"));
            if (auth.equals("external")) {
                flags.put("issuer", "http://localhost:8080/realms/mcp");
            }
            GatehouseConfig config = GatehouseConfig.from(Settings.load(Optional.empty(), Optional.empty(), Map.of(), flags));
            assertThat(config.auth().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')).isEqualTo(auth);
        }
    }
}
