package io.gatehouse.server.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

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
}
