package io.gatehouse.client.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.client.mcp.FakeServer.Answer;
import io.gatehouse.client.mcp.FakeServer.Received;
import io.gatehouse.client.oauth.ClientOptions;
import io.gatehouse.client.oauth.CredentialStore;
import io.gatehouse.client.oauth.Http;
import io.gatehouse.client.oauth.McpAuthorizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.node.ObjectNode;

/**
 * The client's era detection and version pinning (MCP 2026-07-28, versioning.mdx and streamable-http.mdx
 * "Backward Compatibility"; V-5) and the modern request shape, against small fake servers on 127.0.0.1.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class McpClientEraTest {

    static final String DISCOVERED = """
            {"resultType":"complete","supportedVersions":["2026-07-28","2025-11-25"],"capabilities":{"tools":{}},
             "_meta":{"io.modelcontextprotocol/serverInfo":{"name":"fake-2026","version":"1"}}}""";

    /** A modern-only server: validates the version header, knows no initialize, mints no session (but sends one to tempt the client). */
    static Answer modernServer(Received request) {
        String version = request.headers().get("mcp-protocol-version");
        if (version == null) {
            return Answer.error(request, 400, -32020, null);
        }
        if (!version.equals("2026-07-28")) {
            return Answer.error(request, 400, -32022, "{\"supported\":[\"2026-07-28\"],\"requested\":\"" + version + "\"}");
        }
        Answer answer = switch (request.method()) {
            case "server/discover" -> Answer.result(request, DISCOVERED);
            case "tools/list" -> Answer.result(request, """
                    {"resultType":"complete","tools":[{"name":"echo","inputSchema":{"type":"object","properties":{"text":{"type":"string"}}}},
                     {"name":"wetter-größe","inputSchema":{"type":"object"}}]}""");
            case "tools/call" -> Answer.result(request, "{\"resultType\":\"complete\",\"content\":[{\"type\":\"text\",\"text\":\"ok\"}]}");
            default -> Answer.error(request, 404, -32601, null);
        };
        return new Answer(answer.status(), answer.body(), Map.of("Mcp-Session-Id", "do-not-echo"));
    }

    /** A legacy-only server as Gatehouse main is: any modern request gets 400 -32000 without an id. */
    static Answer legacyServer(Received request) {
        String version = request.headers().getOrDefault("mcp-protocol-version", "2025-03-26");
        if (version.equals("2026-07-28")) {
            return Answer.json(400, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32000,\"message\":\"unsupported MCP-Protocol-Version 2026-07-28\"}}");
        }
        return switch (request.method()) {
            case "initialize" -> new Answer(200, "{\"jsonrpc\":\"2.0\",\"id\":" + request.body().path("id") + ",\"result\":{\"protocolVersion\":\""
                    + request.body().path("params").path("protocolVersion").asString() + "\",\"capabilities\":{\"tools\":{}},"
                    + "\"serverInfo\":{\"name\":\"legacy\",\"version\":\"1\"}}}", Map.of("Mcp-Session-Id", "session-1"));
            case "notifications/initialized" -> Answer.json(202, null);
            case "tools/list" -> Answer.result(request, "{\"tools\":[]}");
            default -> Answer.error(request, 200, -32601, null);
        };
    }

    static McpClient client(FakeServer server, Optional<String> pin) throws Exception {
        return new McpClient(server.url(), new Http(), authorizer(), new McpClient.Settings(pin, "era-test", "1", InputResponder.none()));
    }

    static McpAuthorizer authorizer() throws Exception {
        ClientOptions options = new ClientOptions(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), true, false,
                url -> {
                    throw new AssertionError("no login expected");
                }, Duration.ofSeconds(5), "era-test");
        return new McpAuthorizer(new Http(), new CredentialStore(Files.createTempDirectory("era-test").resolve("credentials.json")),
                options, Clock.systemUTC());
    }

    static ObjectNode call(String name, String arguments) {
        ObjectNode params = Http.JSON.createObjectNode().put("name", name);
        params.set("arguments", Http.JSON.readTree(arguments));
        return params;
    }

    @Test
    @Tag("V-1")
    @Tag("B-6")
    @Tag("H-10")
    @Tag("H-12")
    void a_modern_server_is_spoken_to_with_meta_and_headers_on_every_request_and_without_initialize_or_session() throws Exception {
        try (FakeServer server = new FakeServer(McpClientEraTest::modernServer); McpClient client = client(server, Optional.empty())) {
            ServerDescription description = client.connect();
            client.request("tools/call", call("echo", "{\"text\":\"hi\"}"));

            assertThat(description.modern()).isTrue();
            assertThat(description.protocolVersion()).isEqualTo("2026-07-28");
            assertThat(description.serverName()).contains("fake-2026");
            assertThat(server.methods()).containsExactly("server/discover", "tools/list", "tools/call");
            for (Received request : server.received) {
                assertThat(request.headers()).containsEntry("mcp-protocol-version", "2026-07-28").containsEntry("mcp-method", request.method())
                        .doesNotContainKey("mcp-session-id");
                assertThat(request.meta().path("io.modelcontextprotocol/protocolVersion").asString()).isEqualTo("2026-07-28");
                assertThat(request.meta().path("io.modelcontextprotocol/clientCapabilities").isObject()).isTrue();
                assertThat(request.meta().path("io.modelcontextprotocol/clientInfo").path("name").asString()).isEqualTo("era-test");
            }
            assertThat(server.last("tools/call").headers()).containsEntry("mcp-name", "echo");
        }
    }

    @Test
    @Tag("H-13")
    void a_name_that_is_not_a_plain_header_value_is_sent_in_the_base64_sentinel() throws Exception {
        try (FakeServer server = new FakeServer(McpClientEraTest::modernServer); McpClient client = client(server, Optional.empty())) {
            client.request("tools/call", call("wetter-größe", "{}"));

            String header = server.last("tools/call").headers().get("mcp-name");
            assertThat(header).startsWith("=?base64?").endsWith("?=");
            assertThat(new String(Base64.getDecoder().decode(header.substring(9, header.length() - 2)), StandardCharsets.UTF_8))
                    .isEqualTo("wetter-größe");
        }
    }

    @Test
    @Tag("V-2")
    @Tag("V-5")
    void an_unsupported_version_error_makes_the_client_retry_with_a_version_the_server_lists() throws Exception {
        boolean[] rejected = {false};
        try (FakeServer server = new FakeServer(request -> {
            if (!rejected[0]) {
                rejected[0] = true;
                return Answer.error(request, 400, -32022, "{\"supported\":[\"2026-07-28\"],\"requested\":\"2026-07-28\"}");
            }
            return modernServer(request);
        }); McpClient client = client(server, Optional.empty())) {
            assertThat(client.connect().protocolVersion()).isEqualTo("2026-07-28");
            assertThat(server.methods()).containsExactly("server/discover", "server/discover");
        }
    }

    @Test
    @Tag("V-5")
    void a_legacy_server_gets_initialize_and_a_session_after_the_modern_probe_fails_with_a_legacy_error() throws Exception {
        try (FakeServer server = new FakeServer(McpClientEraTest::legacyServer); McpClient client = client(server, Optional.empty())) {
            ServerDescription description = client.connect();
            client.request("tools/list", Http.JSON.createObjectNode());

            assertThat(description.modern()).isFalse();
            assertThat(description.protocolVersion()).isEqualTo("2025-11-25");
            assertThat(server.methods()).containsExactly("server/discover", "initialize", "notifications/initialized", "tools/list");
            Received list = server.last("tools/list");
            assertThat(list.headers()).containsEntry("mcp-session-id", "session-1").containsEntry("mcp-protocol-version", "2025-11-25");
            assertThat(list.body().path("params").has("_meta")).isFalse();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "400 | {\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":\"Bad Request: Server not initialized\"}}",
            "200 | {\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}",
            "200 | {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}",
            "404 | not json",
            "400 | {\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32022,\"message\":\"no data\"}}"})
    @Tag("V-5")
    void anything_but_a_recognised_modern_answer_to_the_probe_means_legacy(int status, String body) throws Exception {
        try (FakeServer server = new FakeServer(request -> request.method().equals("server/discover") ? Answer.json(status, body)
                : legacyServer(request)); McpClient client = client(server, Optional.empty())) {
            assertThat(client.connect().protocolVersion()).isEqualTo("2025-11-25");
            assertThat(server.methods()).containsExactly("server/discover", "initialize", "notifications/initialized");
        }
    }

    @Test
    @Tag("V-5")
    void a_404_method_not_found_to_the_probe_is_a_modern_server_without_discover() throws Exception {
        try (FakeServer server = new FakeServer(request -> request.method().equals("server/discover")
                ? Answer.error(request, 404, -32601, null) : modernServer(request)); McpClient client = client(server, Optional.empty())) {
            assertThat(client.connect().modern()).isTrue();
            client.request("tools/list", Http.JSON.createObjectNode());
            assertThat(server.methods()).containsExactly("server/discover", "tools/list");
        }
    }

    @Test
    @Tag("V-5")
    void pinning_2026_07_28_against_a_legacy_server_fails_with_a_clear_error_and_no_initialize() throws Exception {
        try (FakeServer server = new FakeServer(McpClientEraTest::legacyServer); McpClient client = client(server, Optional.of("2026-07-28"))) {
            assertThatThrownBy(client::connect).isInstanceOf(McpClient.McpException.class)
                    .hasMessageContaining("the server does not speak MCP 2026-07-28").hasMessageContaining("HTTP 400, error -32000");
            assertThat(server.methods()).containsExactly("server/discover");
        }
    }

    @Test
    @Tag("V-5")
    void pinning_2025_11_25_against_a_modern_only_server_fails_with_a_clear_error_and_no_probe() throws Exception {
        try (FakeServer server = new FakeServer(McpClientEraTest::modernServer); McpClient client = client(server, Optional.of("2025-11-25"))) {
            assertThatThrownBy(client::connect).isInstanceOf(McpClient.McpException.class)
                    .hasMessageContaining("the server does not speak MCP 2025-11-25");
            assertThat(server.methods()).containsExactly("initialize");
        }
    }

    @Test
    @Tag("V-5")
    void pinning_a_legacy_version_initializes_with_it_directly_and_refuses_another_offer() throws Exception {
        try (FakeServer server = new FakeServer(McpClientEraTest::legacyServer); McpClient client = client(server, Optional.of("2025-06-18"))) {
            assertThat(client.connect().protocolVersion()).isEqualTo("2025-06-18");
            assertThat(server.methods()).containsExactly("initialize", "notifications/initialized");
        }
        try (FakeServer server = new FakeServer(request -> request.method().equals("initialize")
                ? Answer.result(request, "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{}}") : legacyServer(request));
             McpClient client = client(server, Optional.of("2025-11-25"))) {
            assertThatThrownBy(client::connect).hasMessageContaining("does not speak MCP 2025-11-25 (it offered 2025-06-18)");
        }
    }

    @Test
    void a_pin_outside_the_supported_versions_is_refused_before_any_request() {
        assertThatThrownBy(() -> new McpClient.Settings(Optional.of("2024-11-05"), "x", "1", InputResponder.none()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2026-07-28");
    }
}
