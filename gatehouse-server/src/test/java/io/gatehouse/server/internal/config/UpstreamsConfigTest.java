package io.gatehouse.server.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.gateway.UpstreamConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's settings: {@code --upstream URL} or {@code --upstream-command "CMD ARGS"} (with {@code upstream-timeout}
 * and {@code upstream-cwd}) and the config file's {@code upstreams:} section. Every mistake stops the server before it
 * binds with one line naming the setting, where its value came from, and what to do instead.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class UpstreamsConfigTest {

    @TempDir
    Path dir;

    private GatehouseConfig load(Map<String, String> flags) {
        return GatehouseConfig.from(Settings.load(Optional.empty(), Optional.empty(), Map.of(), flags));
    }

    private GatehouseConfig load(String yaml, Map<String, String> flags) throws Exception {
        Path file = Files.writeString(dir.resolve("gatehouse.yaml"), yaml);
        return GatehouseConfig.from(Settings.load(Optional.of(file), Optional.empty(), Map.of(), flags));
    }

    /** A refusal that is one line, as the CLI prints it (exit code 2). */
    private static AbstractThrowableAssert<?, ? extends Throwable> refusedInOneLine(Throwable thrown) {
        return assertThat(thrown).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").hasSizeLessThan(400));
    }

    private Throwable thrownBy(org.assertj.core.api.ThrowableAssert.ThrowingCallable load) {
        return org.assertj.core.api.Assertions.catchThrowable(load);
    }

    @Test
    void without_upstreams_gatehouse_serves_its_own_features() {
        assertThat(load(Map.of()).upstreams()).isEmpty();
    }

    @Test
    void the_upstream_flag_guards_one_http_server_and_the_command_flag_one_stdio_server_with_the_timeout_and_cwd() {
        UpstreamConfig http = load(Map.of("upstream", "http://127.0.0.1:8000/mcp", "upstream-timeout", "5s"))
                .upstreams().getFirst();
        assertThat(http.kind()).isEqualTo(UpstreamConfig.Kind.HTTP);
        assertThat(http.url()).hasValueSatisfying(u -> assertThat(u).hasToString("http://127.0.0.1:8000/mcp"));
        assertThat(http.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(http.toolPrefix()).isEmpty();

        UpstreamConfig stdio = load(Map.of("upstream-command", "npx -y \"@modelcontextprotocol/server-everything\"",
                "upstream-cwd", dir.toString())).upstreams().getFirst();
        assertThat(stdio.kind()).isEqualTo(UpstreamConfig.Kind.STDIO);
        assertThat(stdio.command()).containsExactly("npx", "-y", "@modelcontextprotocol/server-everything");
        assertThat(stdio.cwd()).contains(dir);
        assertThat(stdio.timeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void both_upstream_flags_at_once_are_refused_naming_both() {
        refusedInOneLine(thrownBy(() -> load(Map.of("upstream", "http://127.0.0.1:8000/mcp",
                "upstream-command", "npx -y @modelcontextprotocol/server-everything"))))
                .hasMessageContaining("upstream (").hasMessageContaining("upstream-command (")
                .hasMessageContaining("upstreams: section");
    }

    @Test
    void a_stdio_upstream_is_refused_with_session_mode_stateless_from_the_flag_and_from_the_config_file() throws Exception {
        refusedInOneLine(thrownBy(() -> load(Map.of("upstream-command", "node server.js", "session-mode", "stateless"))))
                .hasMessageContaining("'session-mode'").hasMessageContaining("stdio upstream")
                .hasMessageContaining("session-mode stateful");
        refusedInOneLine(thrownBy(() -> load("""
                session-mode: stateless
                upstreams:
                  - name: files
                    command: [node, server.js]
                """, Map.of()))).hasMessageContaining("'session-mode'").hasMessageContaining("stdio upstream");
        assertThat(load(Map.of("upstream", "http://127.0.0.1:8000/mcp", "session-mode", "stateless")).upstreams()).hasSize(1);
    }

    @Test
    void the_fixtures_are_refused_beside_an_upstream() {
        refusedInOneLine(thrownBy(() -> load(Map.of("upstream", "http://127.0.0.1:8000/mcp", "fixtures", "conformance"))))
                .hasMessageContaining("'fixtures'").hasMessageContaining("gateway");
    }

    @Test
    void the_timeout_and_cwd_settings_are_refused_without_an_upstream_flag() {
        refusedInOneLine(thrownBy(() -> load(Map.of("upstream-timeout", "10s"))))
                .hasMessageContaining("'upstream-timeout'").hasMessageContaining("without upstream or upstream-command");
        refusedInOneLine(thrownBy(() -> load(Map.of("upstream-cwd", "/srv"))))
                .hasMessageContaining("'upstream-cwd'").hasMessageContaining("without upstream or upstream-command");
    }

    @Test
    void the_timeout_setting_beside_an_upstreams_section_points_at_the_upstreams_own_timeout() throws Exception {
        refusedInOneLine(thrownBy(() -> load("""
                upstream-timeout: 10s
                upstreams:
                  - name: east
                    command: [node, server.js]
                """, Map.of()))).hasMessageContaining("'upstream-timeout'").hasMessageContaining("config file")
                .hasMessageContaining("has its own timeout:");
    }

    @Test
    void a_working_directory_is_refused_for_an_http_upstream() {
        refusedInOneLine(thrownBy(() -> load(Map.of("upstream", "http://127.0.0.1:8000/mcp", "upstream-cwd", "/srv"))))
                .hasMessageContaining("'upstream-cwd'").hasMessageContaining("stdio upstream");
    }

    @Test
    void a_bad_timeout_or_url_names_the_setting() {
        refusedInOneLine(thrownBy(() -> load(Map.of("upstream", "http://127.0.0.1:8000/mcp", "upstream-timeout", "soon"))))
                .hasMessageContaining("'upstream-timeout'").hasMessageContaining("'soon'");
        refusedInOneLine(thrownBy(() -> load(Map.of("upstream", "ftp://127.0.0.1/mcp"))))
                .hasMessageContaining("'upstream'");
    }

    @Test
    void an_upstream_command_with_an_unclosed_quote_names_the_setting() {
        refusedInOneLine(thrownBy(() -> load(Map.of("upstream-command", "node \"my server.js"))))
                .hasMessageContaining("'upstream-command'").hasMessageContaining("unclosed double quote");
    }

    @Test
    void the_config_files_upstreams_keep_their_order_prefixes_and_settings() throws Exception {
        GatehouseConfig config = load("""
                upstreams:
                  - name: east
                    prefix: east_
                    command: [node, server.js, east]
                    env: {LOG_LEVEL: info}
                    timeout: 2s
                  - name: search
                    prefix: search_
                    url: http://127.0.0.1:8000/mcp
                """, Map.of());
        assertThat(config.upstreams()).extracting(UpstreamConfig::name).containsExactly("east", "search");
        assertThat(config.upstreams()).extracting(UpstreamConfig::toolPrefix).containsExactly("east_", "search_");
        assertThat(config.upstreams().getFirst().env()).containsEntry("LOG_LEVEL", "info");
        assertThat(config.upstreams().getFirst().timeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void a_mistake_in_the_upstreams_section_names_the_upstream_and_the_key() throws Exception {
        refusedInOneLine(thrownBy(() -> load("""
                upstreams:
                  - name: east
                    command: [node, server.js]
                    timout: 2s
                """, Map.of()))).hasMessageStartingWith("Invalid upstream: ").hasMessageContaining("east")
                .hasMessageContaining("timout");
        refusedInOneLine(thrownBy(() -> load("""
                upstreams:
                  - name: east
                    prefix: x_
                    command: [node, a.js]
                  - name: west
                    prefix: x_
                    command: [node, b.js]
                """, Map.of()))).hasMessageContaining("west").hasMessageContaining("prefix");
        refusedInOneLine(thrownBy(() -> load("""
                upstreams:
                  name: east
                """, Map.of()))).hasMessageContaining("upstreams must be a list");
    }

    @Test
    void a_flag_upstream_beside_the_config_files_needs_them_all_prefixed() throws Exception {
        String yaml = """
                upstreams:
                  - name: east
                    %s
                    command: [node, server.js]
                """;
        refusedInOneLine(thrownBy(() -> load(yaml.formatted(""), Map.of("upstream", "http://127.0.0.1:8000/mcp"))))
                .hasMessageContaining("upstream").hasMessageContaining("prefix");
        assertThat(load(yaml.formatted("prefix: east_"), Map.of("upstream", "http://127.0.0.1:8000/mcp")).upstreams())
                .extracting(UpstreamConfig::name).containsExactly("east", "upstream");
    }
}
