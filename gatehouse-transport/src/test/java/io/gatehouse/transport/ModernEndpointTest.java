package io.gatehouse.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.McpReply;
import io.gatehouse.testkit.McpTestClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * MCP 2026-07-28 requests on the one endpoint, in both session modes: era selection, {@code _meta} and header
 * validation, the status and id of every error, and the shape of results, JSON and SSE alike.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ModernEndpointTest {

    static final String META = """
            "_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
                      "io.modelcontextprotocol/clientCapabilities": {},
                      "io.modelcontextprotocol/clientInfo": {"name": "t", "version": "1"}}""";
    static TestServer stateful;
    static TestServer stateless;

    @BeforeAll
    static void start() throws Exception {
        stateful = TestServer.start();
        stateless = TestServer.start(c -> c.withSessionMode(SessionMode.STATELESS));
    }

    @AfterAll
    static void stop() throws Exception {
        stateful.close();
        stateless.close();
    }

    private static McpTestClient client(SessionMode mode) {
        return (mode == SessionMode.STATEFUL ? stateful : stateless).client();
    }

    /** A well-formed modern POST: the body, then the standard headers for it, then {@code extra} (a null value removes). */
    private static McpReply post(SessionMode mode, String method, String paramsWithoutMeta, String name, String... extra) {
        String params = paramsWithoutMeta.isEmpty() ? "{" + META + "}" : "{" + paramsWithoutMeta + ", " + META + "}";
        String body = "{\"jsonrpc\": \"2.0\", \"id\": 42, \"method\": \"" + method + "\", \"params\": " + params + "}";
        List<String> headers = new ArrayList<>(List.of("MCP-Protocol-Version", "2026-07-28", "Mcp-Method", method));
        if (name != null) {
            headers.addAll(List.of("Mcp-Name", name));
        }
        headers.addAll(Arrays.asList(extra));
        return client(mode).post(body, headers.toArray(String[]::new));
    }

    private static void assertError(McpReply reply, int status, int code) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.error().path("code").asInt()).as(reply.body()).isEqualTo(code);
        assertThat(reply.json().path("id").asInt()).as("the request's id is echoed (B-3)").isEqualTo(42);
    }

    @ParameterizedTest
    @EnumSource(SessionMode.class)
    @Tag("V-1")
    @Tag("V-8")
    @Tag("B-2")
    void a_modern_request_is_served_statelessly_whatever_the_session_mode(SessionMode mode) {
        McpReply reply = post(mode, "tools/call", "\"name\": \"hello\"", "hello", "Mcp-Session-Id", "not-a-session");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.header("Mcp-Session-Id")).as("never minted nor echoed").isEmpty();
        assertThat(reply.result().path("content").get(0).path("text").asString()).isEqualTo("hello");
        assertThat(reply.result().path("resultType").asString()).isEqualTo("complete");
        assertThat(reply.result().path("_meta").path("io.modelcontextprotocol/serverInfo").path("name").asString()).isEqualTo("test");
    }

    @ParameterizedTest
    @EnumSource(SessionMode.class)
    @Tag("D-1")
    void server_discover_answers_without_initialize(SessionMode mode) {
        McpReply reply = post(mode, "server/discover", "", null);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.result().path("supportedVersions").get(0).asString()).isEqualTo("2026-07-28");
        assertThat(reply.result().path("cacheScope").asString()).isEqualTo("public");
    }

    @ParameterizedTest
    @EnumSource(SessionMode.class)
    @Tag("B-6")
    void missing_meta_fields_are_400_invalid_params(SessionMode mode) {
        String noMeta = "{\"jsonrpc\": \"2.0\", \"id\": 42, \"method\": \"server/discover\", \"params\": {}}";
        assertError(client(mode).post(noMeta, "MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "server/discover"), 400, -32602);
        String noCapabilities = """
                {"jsonrpc": "2.0", "id": 42, "method": "server/discover",
                 "params": {"_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28"}}}""";
        assertError(client(mode).post(noCapabilities, "MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "server/discover"), 400, -32602);
        String badLevel = """
                {"jsonrpc": "2.0", "id": 42, "method": "server/discover",
                 "params": {"_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
                   "io.modelcontextprotocol/clientCapabilities": {}, "io.modelcontextprotocol/logLevel": "loud"}}}""";
        assertError(client(mode).post(badLevel, "MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "server/discover"), 400, -32602);
    }

    @ParameterizedTest
    @EnumSource(SessionMode.class)
    @Tag("B-6")
    void client_info_is_optional(SessionMode mode) {
        String body = """
                {"jsonrpc": "2.0", "id": 42, "method": "server/discover", "params": {"_meta": {
                  "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {}}}}""";
        assertThat(client(mode).post(body, "MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "server/discover").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(SessionMode.class)
    @Tag("V-2")
    @Tag("V-5")
    void an_unsupported_version_is_400_with_the_supported_and_the_requested_ones(SessionMode mode) {
        String body = """
                {"jsonrpc": "2.0", "id": 42, "method": "server/discover", "params": {"_meta": {
                  "io.modelcontextprotocol/protocolVersion": "v999.0.0", "io.modelcontextprotocol/clientCapabilities": {}}}}""";
        McpReply reply = client(mode).post(body, "MCP-Protocol-Version", "v999.0.0", "Mcp-Method", "server/discover");
        assertError(reply, 400, -32022);
        assertThat(reply.error().path("data").path("requested").asString()).isEqualTo("v999.0.0");
        JsonNode discovered = post(mode, "server/discover", "", null).result().path("supportedVersions");
        assertThat(reply.error().path("data").path("supported")).isEqualTo(discovered);
        McpReply odd = client(mode).post("{\"jsonrpc\": \"2.0\", \"id\": 42, \"method\": \"tools/list\"}",
                "MCP-Protocol-Version", "1 <b>x</b>");
        assertError(odd, 400, -32022);
        assertThat(odd.error().path("data").path("requested").asString()).as("arbitrary bytes are not echoed").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(SessionMode.class)
    @Tag("H-10")
    void the_version_header_must_be_present_and_match_meta(SessionMode mode) {
        assertError(post(mode, "tools/list", "", null, "MCP-Protocol-Version", null), 400, -32020);
        assertError(post(mode, "tools/list", "", null, "MCP-Protocol-Version", "2025-11-25"), 400, -32020);
    }

    @ParameterizedTest
    @EnumSource(SessionMode.class)
    @Tag("H-12")
    void mcp_method_and_mcp_name_must_be_present_and_match_the_body(SessionMode mode) {
        assertError(post(mode, "tools/list", "", null, "Mcp-Method", null), 400, -32020);
        assertError(post(mode, "tools/list", "", null, "Mcp-Method", "prompts/list"), 400, -32020);
        assertError(post(mode, "tools/list", "", null, "Mcp-Method", "TOOLS/LIST"), 400, -32020);
        assertError(post(mode, "tools/call", "\"name\": \"hello\"", null), 400, -32020);
        assertError(post(mode, "tools/call", "\"name\": \"hello\"", "chatty"), 400, -32020);
        assertError(post(mode, "resources/read", "\"uri\": \"test://watched\"", "test://other"), 400, -32020);
        assertThat(post(mode, "resources/read", "\"uri\": \"test://watched\"", "test://watched").status()).isEqualTo(200);
        assertThat(post(mode, "tools/call", "\"name\": \"hello\"", null, "mcp-name", "hello").status())
                .as("header names are case-insensitive").isEqualTo(200);
        String body = "{\"jsonrpc\": \"2.0\", \"id\": 42, \"method\": \"tools/call\", \"params\": {\"name\": \"hello\", " + META + "}}";
        assertError(client(mode).raw("POST", "/mcp", body, "Content-Type", "application/json", "Accept", "application/json",
                "MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "tools/call", "Mcp-Name", "hello", "Mcp-Name", "chatty"),
                400, -32020);
    }

    @ParameterizedTest
    @EnumSource(SessionMode.class)
    @Tag("H-13")
    void a_base64_sentinel_name_is_decoded_before_comparing(SessionMode mode) {
        assertThat(post(mode, "tools/call", "\"name\": \"hello\"", "=?base64?aGVsbG8=?=").status()).isEqualTo(200);
        assertError(post(mode, "tools/call", "\"name\": \"hello\"", "=?base64?not base64!?="), 400, -32020);
        assertError(post(mode, "tools/call", "\"name\": \"hello\"", "=?BASE64?aGVsbG8=?="), 400, -32020);
    }

    @ParameterizedTest
    @EnumSource(SessionMode.class)
    @Tag("H-11")
    void unknown_and_removed_methods_are_404_method_not_found(SessionMode mode) {
        for (String method : List.of("initialize", "ping", "logging/setLevel", "resources/subscribe", "resources/unsubscribe", "unknown/method")) {
            assertError(post(mode, method, "", null), 404, -32601);
        }
        String initialized = "{\"jsonrpc\": \"2.0\", \"method\": \"notifications/initialized\", \"params\": {" + META + "}}";
        McpReply reply = client(mode).post(initialized, "MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "notifications/initialized");
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().has("id")).as("no id to echo, and never a null one").isFalse();
    }

    @ParameterizedTest
    @EnumSource(SessionMode.class)
    @Tag("H-3")
    @Tag("H-4")
    void notifications_are_accepted_and_responses_refused(SessionMode mode) {
        String notification = "{\"jsonrpc\": \"2.0\", \"method\": \"notifications/roots/list_changed\", \"params\": {" + META + "}}";
        McpReply accepted = client(mode).post(notification, "MCP-Protocol-Version", "2026-07-28",
                "Mcp-Method", "notifications/roots/list_changed");
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.body()).isEmpty();
        McpReply response = client(mode).post("{\"jsonrpc\": \"2.0\", \"id\": \"srv-1\", \"result\": {}}", "MCP-Protocol-Version", "2026-07-28");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().has("id")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(SessionMode.class)
    @Tag("B-3")
    void an_unreadable_body_gets_an_error_without_id_never_a_null_one(SessionMode mode) {
        McpReply reply = client(mode).post("{not json", "MCP-Protocol-Version", "2026-07-28");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().path("code").asInt()).isEqualTo(-32700);
        assertThat(reply.json().has("id")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(SessionMode.class)
    @Tag("B-7")
    void a_tool_needing_an_undeclared_capability_is_400_missing_capability(SessionMode mode) {
        McpReply reply = post(mode, "tools/call", "\"name\": \"ask\"", "ask");
        assertError(reply, 400, -32021);
        assertThat(reply.error().path("data").path("requiredCapabilities").path("sampling").isObject()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(SessionMode.class)
    @Tag("L-1")
    @Tag("B-2")
    void logs_reach_only_a_request_that_set_a_level_and_the_streamed_result_has_its_result_type(SessionMode mode) {
        McpReply quiet = post(mode, "tools/call", "\"name\": \"chatty\"", "chatty");
        assertThat(quiet.isSse()).as("nothing to stream without a logLevel").isFalse();
        assertThat(quiet.result().path("resultType").asString()).isEqualTo("complete");
        String body = """
                {"jsonrpc": "2.0", "id": 42, "method": "tools/call", "params": {"name": "chatty", "_meta": {
                  "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {},
                  "io.modelcontextprotocol/logLevel": "info"}}}""";
        McpReply loud = client(mode).post(body, "MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "tools/call", "Mcp-Name", "chatty");
        assertThat(loud.isSse()).isTrue();
        assertThat(loud.events()).hasSize(3);
        JsonNode last = loud.events().get(2);
        assertThat(last.path("id").asInt()).isEqualTo(42);
        assertThat(last.path("result").path("resultType").asString()).isEqualTo("complete");
    }

    @ParameterizedTest
    @EnumSource(SessionMode.class)
    @Tag("F-4")
    void an_unknown_resource_is_invalid_params_with_its_uri(SessionMode mode) {
        McpReply reply = post(mode, "resources/read", "\"uri\": \"test://nope\"", "test://nope");
        assertThat(reply.error().path("code").asInt()).isEqualTo(-32602);
        assertThat(reply.error().path("data").path("uri").asString()).isEqualTo("test://nope");
    }

    @ParameterizedTest
    @EnumSource(SessionMode.class)
    @Tag("V-4")
    @Tag("V-7")
    void legacy_requests_keep_their_behaviour(SessionMode mode) {
        McpTestClient legacy = client(mode).initialize();
        McpReply ping = legacy.post("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"ping\"}");
        assertThat(ping.status()).isEqualTo(200);
        assertThat(ping.result().has("resultType")).isFalse();
        McpReply noHeader = client(mode).post("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/list\"}", "Mcp-Session-Id",
                legacy.sessionId() == null ? null : legacy.sessionId());
        assertThat(noHeader.status()).as("no header means 2025-03-26").isEqualTo(200);
        assertThat(noHeader.result().has("cacheScope")).isFalse();
    }

    @Test
    @Tag("attack")
    @Tag("S-1")
    void a_listen_request_larger_than_its_limit_is_refused_before_it_is_held() {
        String padding = "\"" + "x".repeat(StreamableHttpEndpoint.MAX_LISTEN_BYTES) + "\"";
        McpReply reply = post(SessionMode.STATELESS, "subscriptions/listen",
                "\"notifications\": {}, \"padding\": " + padding, null);
        assertError(reply, 413, -32600);
    }

    @Test
    @Tag("attack")
    @Tag("V-7")
    void a_repeated_protocol_version_header_is_refused_in_either_era() throws Exception {
        String legacyBody = "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/list\", \"params\": {}}";
        for (String[] versions : new String[][] {{"2025-11-25", "2026-07-28"}, {"2026-07-28", "2025-11-25"},
                {"2025-11-25", "2025-11-25"}}) {
            java.net.http.HttpResponse<String> reply = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(stateless.http.mcpUri())
                            .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                            .header("MCP-Protocol-Version", versions[0]).header("MCP-Protocol-Version", versions[1])
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(legacyBody)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(reply.statusCode()).as(String.join(", ", versions) + ": " + reply.body()).isEqualTo(400);
        }
    }
}
