package io.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** How a GatehouseServer reads its settings: the flags of gatehouse serve over code-given defaults, checked at build(). */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GatehouseServerSettingsTest {

    static GatehouseServer.Builder builder() {
        return GatehouseServer.builder().environment(Map.of());
    }

    @Test
    void a_bad_flag_value_is_an_invalid_setting_naming_the_setting_and_the_flag() {
        assertThatThrownBy(() -> builder().args("--port", "x").build())
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("'port'").hasMessageContaining("--port").hasMessageContaining("'x'");
    }

    @Test
    void an_unknown_flag_is_refused_with_the_closest_known_one() {
        assertThatThrownBy(() -> builder().args("--prot", "9000").build())
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("--prot").hasMessageContaining("--port");
    }

    @Test
    void a_bad_value_given_in_code_names_the_code_as_its_source() {
        assertThatThrownBy(() -> builder().settings(GatehouseSettings.builder().sessionMode("sometimes").build()).build())
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("'session-mode'").hasMessageContaining("code (GatehouseSettings)");
    }

    @Test
    void a_flag_overrides_a_bad_value_given_in_code() {
        GatehouseServer server = builder().settings(GatehouseSettings.builder().set("port", "x").build())
                .args("--port", "0", "--auth", "none").build();
        assertThat(server).isNotNull();
        server.close();
    }

    @Test
    void an_environment_variable_overrides_code_and_a_flag_overrides_the_environment() {
        GatehouseSettings code = GatehouseSettings.builder().sessionMode("stateless").build();
        assertThatThrownBy(() -> builder().environment(Map.of("GATEHOUSE_SESSION_MODE", "bogus")).settings(code).build())
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("environment variable GATEHOUSE_SESSION_MODE");
        assertThat(builder().environment(Map.of("GATEHOUSE_SESSION_MODE", "bogus")).settings(code)
                .args("--session-mode", "stateful", "--auth", "none").build()).isNotNull();
    }

    @Test
    void code_refuses_an_unknown_setting_listing_the_known_ones() {
        assertThatThrownBy(() -> GatehouseSettings.builder().set("prot", "9000"))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("'prot'").hasMessageContaining("port, public-url");
    }

    @Test
    void no_authentication_is_refused_off_loopback_as_in_gatehouse_serve() {
        assertThatThrownBy(() -> builder().args("--auth", "none", "--host", "0.0.0.0").build())
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("loopback");
    }

    @Test
    void external_auth_without_an_issuer_is_refused() {
        assertThatThrownBy(() -> builder().args("--auth", "external").build())
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("issuer");
    }

    @Test
    void the_demo_fixture_packs_are_not_served_by_a_library_server() {
        assertThatThrownBy(() -> builder().args("--auth", "none", "--fixtures", "conformance").build())
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("'fixtures'").hasMessageContaining("--fixtures");
    }

    @Test
    void a_library_server_with_tools_of_its_own_refuses_an_upstream_naming_where_it_was_set() {
        GatehouseServer.Builder withTool = builder().tool(io.gatehouse.mcp.tools.Tool.builder("word_count")
                .description("Count words").handler((args, ctx) -> io.gatehouse.mcp.tools.ToolResult.text("3")));
        assertThatThrownBy(() -> withTool.args("--auth", "none", "--upstream-command", "node server.js").build())
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("--upstream-command")
                .hasMessageContaining("either its own features or its upstreams'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        GatehouseServer gateway = builder().args("--auth", "none", "--port", "0", "--upstream", "http://127.0.0.1:8000/mcp")
                .build();
        assertThat(gateway).as("a library server without features of its own may be a gateway").isNotNull();
        gateway.close();
    }

    @Test
    void a_setting_that_fails_only_at_start_is_an_invalid_setting_too() {
        GatehouseServer server = builder().args("--auth", "local-keys", "--port", "0", "--jwks-file", "/nonexistent/jwks.json").build();
        assertThatThrownBy(server::start).isInstanceOf(InvalidSettingException.class).hasMessageContaining("/nonexistent/jwks.json");
        server.close();
    }

    @Test
    void a_server_not_started_has_no_port_yet() {
        GatehouseServer server = builder().args("--auth", "none").build();
        assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class).hasMessageContaining("start()");
        server.close();
    }

    @Test
    void run_serves_until_the_server_is_closed_and_then_returns() throws Exception {
        GatehouseServer server = builder().args("--auth", "none", "--port", "0").build();
        CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
            try {
                server.run();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        while (!running.isDone() && !started(server)) {
            Thread.sleep(10);
        }
        assertThat(running).isNotDone();
        server.close();
        running.get(60, TimeUnit.SECONDS);
        assertThat(running).isCompleted();
    }

    static boolean started(GatehouseServer server) {
        try {
            return server.port() > 0;
        } catch (IllegalStateException notYet) {
            return false;
        }
    }
}
