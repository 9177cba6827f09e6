package io.gatehouse.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.McpReply;
import io.gatehouse.testkit.McpTestClient;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StreamableHttpTest {

    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    @Tag("T-12")
    void initialize_returns_a_random_visible_ascii_session_id() {
        McpTestClient a = server.client().initialize();
        McpTestClient b = server.client().initialize();
        assertThat(a.sessionId()).matches("[\\x21-\\x7E]{43,}").isNotEqualTo(b.sessionId());
    }

    @Test
    @Tag("T-07")
    void a_request_is_answered_with_json_when_nothing_streams() {
        McpReply reply = server.client().initialize().call("tools/call", Map.of("name", "hello"));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(reply.result().path("content").get(0).path("text").asString()).isEqualTo("hello");
    }

    @Test
    @Tag("T-08")
    void log_messages_turn_the_answer_into_an_sse_stream_that_ends_with_the_response() {
        McpReply reply = server.client().initialize().call("tools/call", Map.of("name", "chatty"));
        assertThat(reply.isSse()).isTrue();
        assertThat(reply.events()).hasSize(3);
        assertThat(reply.events().get(0).path("method").asString()).isEqualTo("notifications/message");
        assertThat(reply.events().get(1).path("params").path("data").asString()).isEqualTo("second");
        assertThat(reply.events().get(2).path("result").path("content").get(0).path("text").asString()).isEqualTo("done");
    }

    @Test
    @Tag("T-07")
    void a_client_that_accepts_only_json_gets_json_and_no_notifications() {
        McpReply reply = server.client().initialize()
                .post("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"chatty\"}}",
                        "Accept", "application/json");
        assertThat(reply.isSse()).isFalse();
        assertThat(reply.json().path("id").asInt()).isEqualTo(5);
        assertThat(reply.result().path("content").get(0).path("text").asString()).isEqualTo("done");
    }

    @Test
    @Tag("T-06")
    void a_notification_is_accepted_with_202_and_no_body() {
        McpReply reply = server.client().initialize().notify("notifications/initialized", Map.of());
        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.body()).isEmpty();
    }

    @Test
    @Tag("T-06")
    void a_client_error_with_a_null_id_is_accepted_but_a_response_to_nothing_pending_is_400() {
        McpTestClient client = server.client().initialize();
        McpReply orphanError = client.post("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"Parse error\"}}");
        assertThat(orphanError.status()).isEqualTo(202);
        assertThat(orphanError.body()).isEmpty();
        McpReply unknown = client.post("{\"jsonrpc\":\"2.0\",\"id\":\"nope\",\"result\":{}}");
        assertThat(unknown.status()).isEqualTo(400);
    }

    @Test
    @Tag("T-12")
    void a_request_without_session_id_is_400() {
        McpTestClient client = server.client().initialize();
        McpReply reply = client.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", "Mcp-Session-Id", null);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().path("code").asInt()).isEqualTo(-32000);
    }

    @Test
    @Tag("T-12")
    void an_unknown_session_id_is_404() {
        McpReply reply = server.client().initialize()
                .post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", "Mcp-Session-Id", "no-such-session");
        assertThat(reply.status()).isEqualTo(404);
    }

    @Test
    @Tag("T-12")
    void delete_ends_the_session_and_its_id_then_gets_404() {
        McpTestClient client = server.client().initialize();
        assertThat(client.delete().status()).isEqualTo(200);
        assertThat(client.call("ping", Map.of()).status()).isEqualTo(404);
        assertThat(client.delete().status()).isEqualTo(404);
    }

    @Test
    @Tag("T-13")
    void an_unsupported_protocol_version_header_is_400() {
        McpReply reply = server.client().initialize()
                .post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", "MCP-Protocol-Version", "1999-01-01");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().path("code").asInt()).isEqualTo(-32022);
        assertThat(reply.error().path("data").path("supported")).extracting(n -> n.asString())
                .containsExactly("2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26");
    }

    @Test
    @Tag("T-13")
    void a_missing_protocol_version_header_is_accepted_as_2025_03_26() {
        McpReply reply = server.client().initialize()
                .post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", "MCP-Protocol-Version", null);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("result").isObject()).isTrue();
    }

    @Test
    void malformed_json_is_400_with_parse_error() {
        McpReply reply = server.client().initialize().post("{\"jsonrpc\": \"2.0\", \"id\": 1, ");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().path("code").asInt()).isEqualTo(-32700);
        assertThat(reply.json().get("id").isNull()).isTrue();
    }

    @Test
    @Tag("T-05")
    void a_batch_is_400_with_invalid_request() {
        McpReply reply = server.client().initialize()
                .post("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"},{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}]");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().path("code").asInt()).isEqualTo(-32600);
        assertThat(reply.error().path("message").asString()).contains("batch");
    }

    @Test
    void an_object_without_method_or_result_is_invalid_request() {
        McpReply reply = server.client().initialize().post("{\"jsonrpc\":\"2.0\",\"id\":1}");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().path("code").asInt()).isEqualTo(-32600);
    }

    @Test
    void an_unknown_method_is_method_not_found_with_the_request_id() {
        McpReply reply = server.client().initialize().call("no/such/method", Map.of());
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.error().path("code").asInt()).isEqualTo(-32601);
        assertThat(reply.json().path("id").isIntegralNumber()).isTrue();
    }

    @Test
    void bad_params_are_invalid_params_not_a_server_error() {
        McpReply reply = server.client().initialize().call("tools/call", Map.of("name", 42));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.error().path("code").asInt()).isEqualTo(-32602);
    }

    @Test
    void deeply_nested_json_is_refused_without_a_crash() {
        String deep = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}}";
        McpReply reply = server.client().initialize().post(deep);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().path("code").asInt()).isEqualTo(-32600);
    }

    @Test
    void a_body_over_the_limit_is_413() throws Exception {
        String big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}}";
        // with Expect: 100-continue (as curl sends for large bodies) the refusal arrives before the body is sent,
        // so the test does not race the server closing a connection the client is still writing to
        java.net.http.HttpResponse<String> reply = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(server.http.mcpUri()).expectContinue(true)
                        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(big)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(reply.statusCode()).isEqualTo(413);
        assertThat(reply.body()).contains("Payload Too Large");
    }

    @Test
    void oversized_headers_are_431() {
        McpReply reply = server.client().initialize().post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}",
                "X-Padding", "y".repeat(20_000));
        assertThat(reply.status()).isEqualTo(431);
    }

    @Test
    void a_wrong_content_type_is_415() {
        McpReply reply = server.client().initialize().post("{}", "Content-Type", "text/plain");
        assertThat(reply.status()).isEqualTo(415);
    }

    @Test
    @Tag("T-04")
    void an_accept_header_without_json_or_sse_is_406() {
        McpReply reply = server.client().initialize().post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", "Accept", "text/html");
        assertThat(reply.status()).isEqualTo(406);
    }

    @Test
    void other_http_methods_on_the_endpoint_are_405_with_allow() {
        McpReply reply = server.client().raw("PUT", "/mcp", "{}", "Content-Type", "application/json");
        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.header("Allow")).hasValueSatisfying(a -> assertThat(a).contains("POST"));
    }

    @Test
    void unknown_paths_are_404_json() {
        McpReply reply = server.client().raw("GET", "/nope", null);
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().path("error").asString()).isEqualTo("not_found");
    }

    @Test
    void public_health_says_only_whether_the_server_is_serving() {
        McpReply reply = server.client().raw("GET", "/health", null);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().toString()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(reply.header("Cache-Control")).contains("no-store");
    }

    @Test
    void the_management_listener_reports_status_protocol_versions_and_session_mode() throws Exception {
        try (TestServer managed = TestServer.start(c -> c, java.util.Optional.of(new ManagementListener("127.0.0.1", 0)))) {
            managed.client().initialize();
            JsonNode health = managed.management().raw("GET", "/health", null).json();
            assertThat(health.path("status").asString()).isEqualTo("ok");
            assertThat(health.path("protocolVersions").toString()).contains("2025-11-25", "2025-06-18", "2025-03-26");
            assertThat(health.path("sessionMode").asString()).isEqualTo("stateful");
            assertThat(health.path("sessions").asInt()).isEqualTo(1);
            assertThat(health.has("uptimeSeconds")).isTrue();
            assertThat(managed.client().raw("GET", "/health", null).json().toString()).isEqualTo("{\"status\":\"ok\"}");
        }
    }

    @Test
    void the_management_listener_serves_health_only_and_not_to_browsers_or_rebound_names() throws Exception {
        try (TestServer managed = TestServer.start(c -> c, java.util.Optional.of(new ManagementListener("127.0.0.1", 0)))) {
            int port = managed.http.managementPort().orElseThrow();
            assertThat(managed.management().raw("POST", "/mcp", "{}", "Content-Type", "application/json").status()).isEqualTo(404);
            assertThat(managed.management().raw("GET", "/health", null, "Origin", "http://127.0.0.1:" + port).status()).isEqualTo(403);
            assertThat(managed.management().raw("GET", "/health", null, "Host", "evil.example.com:" + port).status()).isEqualTo(403);
            assertThat(managed.management().raw("GET", "/health", null, "Host", "localhost:" + port).status()).isEqualTo(200);
            assertThat(managed.management().raw("DELETE", "/health", null).status()).isEqualTo(405);
        }
    }
}
