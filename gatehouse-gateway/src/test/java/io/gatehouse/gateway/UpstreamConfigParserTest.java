package io.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The upstreams: section of the configuration file and the --upstream-command line. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("gateway")
class UpstreamConfigParserTest {

    private static List<UpstreamConfig> parse(Map<String, Object> upstream) {
        return UpstreamConfigParser.parse(Map.of("upstreams", List.of(upstream)));
    }

    @Test
    void a_stdio_upstream_with_args_as_a_list_env_and_cwd() {
        UpstreamConfig config = parse(Map.of("name", "files", "prefix", "files_", "command", "npx",
                "args", List.of("-y", "@modelcontextprotocol/server-filesystem", "/srv/my data"),
                "env", Map.of("LOG_LEVEL", "info"), "cwd", "/srv", "timeout", "45s", "max-message-bytes", 65536,
                "max-sessions", 4)).get(0);

        assertThat(config.kind()).isEqualTo(UpstreamConfig.Kind.STDIO);
        assertThat(config.command()).containsExactly("npx", "-y", "@modelcontextprotocol/server-filesystem", "/srv/my data");
        assertThat(config.env()).containsExactly(Map.entry("LOG_LEVEL", "info"));
        assertThat(config.cwd()).contains(Path.of("/srv"));
        assertThat(config.toolPrefix()).isEqualTo("files_");
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(config.maxMessageBytes()).isEqualTo(65536);
        assertThat(config.maxSessions()).isEqualTo(4);
    }

    @Test
    void an_http_upstream_with_a_static_header_credential_from_the_environment() {
        UpstreamConfig config = parse(Map.of("name", "search", "url", "http://127.0.0.1:8000/mcp",
                "headers", Map.of("X-Tenant", "acme"),
                "credentials", Map.of("prefix", "Bearer ", "value-env", "SEARCH_TOKEN"))).get(0);

        assertThat(config.kind()).isEqualTo(UpstreamConfig.Kind.HTTP);
        assertThat(config.url()).contains(URI.create("http://127.0.0.1:8000/mcp"));
        assertThat(config.timeout()).isEqualTo(UpstreamConfig.DEFAULT_TIMEOUT);
        assertThat(config.credentials()).isInstanceOfSatisfying(UpstreamCredentials.StaticHeader.class, header -> {
            assertThat(header.header()).isEqualTo("Authorization");
            assertThat(header.headerValue(Map.of("SEARCH_TOKEN", "t0ken\n"))).isEqualTo("Bearer t0ken");
        });
    }

    @Test
    void the_command_line_form_is_split_like_a_shell_would_without_a_shell() {
        UpstreamConfig config = UpstreamConfig.stdio("py", "uv run 'my server.py' --name \"a \\\"b\\\"\" $HOME *.txt a\\ b");

        assertThat(config.command()).containsExactly("uv", "run", "my server.py", "--name", "a \"b\"", "$HOME", "*.txt", "a b");
    }

    @Test
    @Tag("attack")
    void gatehouse_settings_cannot_be_passed_to_a_child() {
        assertThatThrownBy(() -> parse(Map.of("name", "x", "command", "node s.js", "env", Map.of("GATEHOUSE_DB_PASSWORD", "p"))))
                .isInstanceOf(UpstreamConfigException.class)
                .hasMessage("upstream 'x': env 'GATEHOUSE_DB_PASSWORD': Gatehouse's own settings are never passed to an upstream");
    }

    @Test
    @Tag("attack")
    void an_authorization_header_or_cookie_cannot_be_configured_as_plain_text() {
        assertThatThrownBy(() -> parse(Map.of("name", "x", "url", "http://127.0.0.1/mcp", "headers",
                Map.of("Authorization", "Bearer abc"))))
                .isInstanceOf(UpstreamConfigException.class).hasMessageContaining("'Authorization' cannot be configured here");
        assertThatThrownBy(() -> parse(Map.of("name", "x", "url", "http://127.0.0.1/mcp", "headers", Map.of("Cookie", "a=b"))))
                .isInstanceOf(UpstreamConfigException.class).hasMessageContaining("'Cookie' cannot be configured here");
        assertThatThrownBy(() -> parse(Map.of("name", "x", "url", "http://127.0.0.1/mcp", "headers", Map.of("X-A", "a\r\nX-B: b"))))
                .isInstanceOf(UpstreamConfigException.class).hasMessageContaining("must be one line of text");
    }

    @Test
    void mistakes_are_named_with_the_upstream_and_the_key() {
        assertThatThrownBy(() -> parse(Map.of("name", "x", "url", "http://h/mcp", "comand", "node")))
                .hasMessageStartingWith("upstream 'x': comand is not a known key");
        assertThatThrownBy(() -> parse(Map.of("name", "x", "url", "http://h/mcp", "command", "node")))
                .hasMessage("upstream 'x': url and command cannot both be set: an upstream is http or stdio");
        assertThatThrownBy(() -> parse(Map.of("name", "x")))
                .hasMessage("upstream 'x': url or command is required");
        assertThatThrownBy(() -> parse(Map.of("name", "x", "url", "ftp://h/mcp")))
                .hasMessageContaining("must be an absolute http or https URL");
        assertThatThrownBy(() -> parse(Map.of("name", "x", "url", "http://user:pw@h/mcp")))
                .hasMessageContaining("no user info");
        assertThatThrownBy(() -> parse(Map.of("name", "x", "command", "node", "timeout", "soon")))
                .hasMessageContaining("timeout must be a duration");
        assertThatThrownBy(() -> parse(Map.of("name", "x", "kind", "stdio", "url", "http://h/mcp")))
                .hasMessage("upstream 'x': kind is stdio but the upstream has a url");
        assertThatThrownBy(() -> parse(Map.of("name", "x", "command", "node 'unclosed")))
                .hasMessageContaining("unclosed single quote");
        assertThatThrownBy(() -> parse(Map.of("name", "x y", "command", "node")))
                .hasMessageContaining("upstream name must be");
    }

    @Test
    void names_and_prefixes_must_differ_between_upstreams() {
        Map<String, Object> a = Map.of("name", "a", "command", "node a.js");
        Map<String, Object> b = Map.of("name", "b", "command", "node b.js");

        assertThatThrownBy(() -> UpstreamConfigParser.parse(Map.of("upstreams", List.of(a, a))))
                .hasMessage("upstream 'a' is listed twice");
        assertThatThrownBy(() -> UpstreamConfigParser.parse(Map.of("upstreams", List.of(a, b))))
                .hasMessageContaining("upstream 'b': prefix '' is already used by another upstream");
        assertThat(UpstreamConfigParser.parse(Map.of())).isEmpty();
    }

    @Test
    void an_http_upstream_with_client_credentials() {
        UpstreamConfig config = parse(Map.of("name", "billing", "url", "https://billing.internal/mcp",
                "credentials", Map.of("token-endpoint", "https://idp.internal/token", "client-id", "gw",
                        "client-secret-file", "/run/secrets/gw", "scope", "billing:read",
                        "resource", "https://billing.internal/mcp"))).get(0);

        assertThat(config.credentials()).isEqualTo(new UpstreamCredentials.ClientCredentials(
                URI.create("https://idp.internal/token"), "gw", new UpstreamCredentials.FromFile(Path.of("/run/secrets/gw")),
                "billing:read", java.util.Optional.of(URI.create("https://billing.internal/mcp"))));
        assertThatThrownBy(() -> parse(Map.of("name", "billing", "url", "https://billing.internal/mcp",
                "credentials", Map.of("token-endpoint", "http://idp.example/token", "client-id", "gw",
                        "client-secret-env", "S"))))
                .hasMessageContaining("token-endpoint must be an https URL");
    }
}
