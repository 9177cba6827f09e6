package io.gatehouse.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.McpReply;
import io.gatehouse.testkit.McpTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One route table and one CORS policy: the MCP endpoint and {@code /health} answer allowed origins only, the public
 * documents and the OAuth endpoints for programs answer any origin, the login page answers its own origin only.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("T-02")
class RoutesAndCorsTest {

    static final String FOREIGN = "https://client.example";
    static ProtectedTestServer server;
    static McpTestClient client;

    @BeforeAll
    static void start() throws Exception {
        server = ProtectedTestServer.start();
        client = server.anonymous();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    @Tag("RS-02")
    void protected_resource_metadata_is_readable_from_any_origin() {
        McpReply document = client.raw("GET", "/.well-known/oauth-protected-resource/mcp", null, "Origin", FOREIGN);
        assertThat(document.status()).isEqualTo(200);
        assertThat(document.header("Access-Control-Allow-Origin")).contains("*");
        assertThat(document.header("Cache-Control")).contains("public, max-age=300");

        McpReply preflight = client.raw("OPTIONS", "/.well-known/oauth-protected-resource", null, "Origin", FOREIGN,
                "Access-Control-Request-Method", "GET");
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).contains("*");
        assertThat(preflight.header("Access-Control-Allow-Methods")).contains("GET, HEAD, OPTIONS");
        assertThat(preflight.header("Access-Control-Allow-Headers")).hasValueSatisfying(h -> assertThat(h).contains("MCP-Protocol-Version"));
    }

    @Test
    void the_oauth_endpoints_for_programs_answer_any_origin_and_their_preflight() {
        McpReply token = client.raw("POST", "/oauth/token", "grant_type=x", "Origin", FOREIGN,
                "Content-Type", "application/x-www-form-urlencoded");
        assertThat(token.status()).isEqualTo(200);
        assertThat(token.header("Access-Control-Allow-Origin")).contains("*");

        McpReply preflight = client.raw("OPTIONS", "/oauth/token", null, "Origin", FOREIGN, "Access-Control-Request-Method", "POST");
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).contains("*");
        assertThat(preflight.header("Access-Control-Allow-Methods")).contains("GET, POST, OPTIONS");
        assertThat(preflight.header("Access-Control-Allow-Headers")).contains("Authorization, Content-Type, MCP-Protocol-Version");
        assertThat(preflight.header("Access-Control-Max-Age")).contains("600");
    }

    @Test
    void the_login_page_is_same_origin_only() {
        McpReply foreign = client.raw("POST", "/oauth/login", "", "Origin", FOREIGN);
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.json().path("error").asString()).isEqualTo("forbidden");

        McpReply own = client.raw("POST", "/oauth/login", "", "Origin", server.origin());
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.header("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void the_mcp_endpoint_refuses_a_foreign_origin_and_exposes_its_headers_to_its_own() {
        McpReply foreign = client.post(RequestStepsTest.PING, "Origin", FOREIGN);
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.json().get("id").isNull()).isTrue();

        McpReply own = client.post(RequestStepsTest.PING, "Origin", server.origin());
        assertThat(own.status()).isEqualTo(401);
        assertThat(own.header("Access-Control-Allow-Origin")).contains(server.origin());
        assertThat(own.header("Access-Control-Expose-Headers")).hasValueSatisfying(h -> assertThat(h).contains("WWW-Authenticate"));
    }

    @Test
    void a_method_a_route_does_not_serve_is_405_with_allow() {
        McpReply health = client.raw("DELETE", "/health", null);
        assertThat(health.status()).isEqualTo(405);
        assertThat(health.header("Allow")).contains("GET, HEAD, OPTIONS");
        assertThat(health.json().path("error").asString()).isEqualTo("method_not_allowed");

        McpReply mcp = client.raw("PUT", "/mcp", "{}");
        assertThat(mcp.status()).isEqualTo(405);
        assertThat(mcp.header("Allow")).contains("GET, POST, DELETE, OPTIONS");
        assertThat(mcp.json().get("id").isNull()).isTrue();
    }

    @Test
    void unknown_paths_are_404_in_the_plain_error_body() {
        McpReply reply = client.raw("GET", "/nowhere", null);
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().path("error").asString()).isEqualTo("not_found");
    }
}
