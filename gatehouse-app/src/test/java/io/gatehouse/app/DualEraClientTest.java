package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.client.mcp.InputResponder;
import io.gatehouse.client.mcp.McpClient;
import io.gatehouse.client.mcp.ServerDescription;
import io.gatehouse.client.oauth.ClientOptions;
import io.gatehouse.client.oauth.CredentialStore;
import io.gatehouse.client.oauth.Http;
import io.gatehouse.client.oauth.McpAuthorizer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The dual-era client against a real dual-era Gatehouse: unpinned, its {@code server/discover} probe finds
 * 2026-07-28 and it speaks that; pinned to 2025-11-25 it goes straight to {@code initialize} and a session; both
 * work on the command line. (The fallback against a server that speaks only the legacy revisions, V-5, is covered
 * by the client's own tests against a legacy-only fake server.)
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("V-4")
@Tag("V-5")
class DualEraClientTest {

    static RunningGatehouse gatehouse;
    static Path credentials;

    record Run(int exitCode, String out, String err) {
    }

    @BeforeAll
    static void start() throws Exception {
        gatehouse = RunningGatehouse.start();
        credentials = Files.createTempDirectory("gatehouse-dual-era").resolve("credentials.json");
    }

    @AfterAll
    static void stop() throws Exception {
        gatehouse.close();
    }

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--non-interactive", "--credentials-file", credentials.toString()));
        int code = cli.execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    private static McpClient client(Optional<String> pin) {
        ClientOptions options = new ClientOptions(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), true, false,
                url -> {
                    throw new AssertionError("no login expected with --auth none");
                }, Duration.ofSeconds(5), "dual-era-test");
        McpAuthorizer authorizer = new McpAuthorizer(new Http(), new CredentialStore(credentials), options, Clock.systemUTC());
        return new McpClient(gatehouse.mcpUrl(), new Http(), authorizer, new McpClient.Settings(pin, "dual-era-test", "1", InputResponder.none()));
    }

    @Test
    void the_unpinned_client_discovers_and_speaks_2026_07_28() {
        try (McpClient client = client(Optional.empty())) {
            ServerDescription server = client.connect();
            var tools = client.request("tools/list", Http.JSON.createObjectNode()).path("tools");

            assertThat(server.modern()).isTrue();
            assertThat(server.protocolVersion()).isEqualTo("2026-07-28");
            assertThat(server.serverName()).contains("gatehouse");
            assertThat(tools).extracting(t -> t.path("name").asString()).contains("echo");
        }
    }

    @Test
    void tools_list_and_call_on_the_command_line_work_in_the_negotiated_era() {
        Run list = cli("tools", "list", gatehouse.mcpUrl().toString());
        Run call = cli("tools", "call", gatehouse.mcpUrl().toString(), "echo", "--arg", "message=dual era");

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains("echo");
        assertThat(call.exitCode()).as(call.err()).isZero();
        assertThat(call.out()).contains("dual era");
    }

    @Test
    void pinning_2026_07_28_speaks_it_on_the_command_line() {
        Run run = cli("tools", "call", gatehouse.mcpUrl().toString(), "echo", "--arg", "message=modern", "--protocol-version", "2026-07-28");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("modern");
    }

    @Test
    void pinning_2025_11_25_goes_straight_to_initialize() {
        try (McpClient client = client(Optional.of("2025-11-25"))) {
            ServerDescription server = client.connect();
            assertThat(server.protocolVersion()).isEqualTo("2025-11-25");
            assertThat(server.modern()).isFalse();
        }
        Run run = cli("tools", "call", gatehouse.mcpUrl().toString(), "echo", "--arg", "message=pinned", "--protocol-version", "2025-11-25");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("pinned");
    }

    @Test
    void a_pin_the_client_does_not_speak_is_a_usage_error() {
        Run run = cli("tools", "list", gatehouse.mcpUrl().toString(), "--protocol-version", "2024-11-05");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--protocol-version must be one of 2026-07-28, 2025-11-25, 2025-06-18, 2025-03-26");
    }
}
