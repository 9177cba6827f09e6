package io.gatehouse.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.McpReply;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** T-02, T-03: Origin and Host checks against DNS rebinding, which the conformance suite cannot fully see. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("T-02")
class DnsRebindingProtectionTest {

    static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
    static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(c -> new TransportConfig(c.host(), c.port(), c.mcpPath(), c.publicBaseUrl(), c.sessionMode(),
                List.of("https://app.example.com"), c.allowedHosts(), c.maxRequestBytes(), c.maxHeaderBytes(),
                c.sseKeepAlive(), c.sseIdleTimeout(), c.idleTimeout(), c.shutdownDrain(), c.tls(), c.trustedProxies()));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void bad_origin_with_a_good_host_is_403() {
        McpReply reply = server.client().post(INITIALIZE, "Origin", "http://evil.example.com");
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.error().path("message").asString()).contains("Origin");
        assertThat(reply.json().get("id").isNull()).isTrue();
    }

    @Test
    void a_lookalike_localhost_origin_is_403() {
        int port = server.http.port();
        assertThat(server.client().post(INITIALIZE, "Origin", "http://localhost.evil.com:" + port).status()).isEqualTo(403);
        assertThat(server.client().post(INITIALIZE, "Origin", "http://127.0.0.1.nip.io:" + port).status()).isEqualTo(403);
    }

    @Test
    void the_same_host_on_another_port_or_scheme_is_403() {
        int port = server.http.port();
        assertThat(server.client().post(INITIALIZE, "Origin", "http://localhost:" + (port + 1)).status()).isEqualTo(403);
        assertThat(server.client().post(INITIALIZE, "Origin", "https://localhost:" + port).status()).isEqualTo(403);
        assertThat(server.client().post(INITIALIZE, "Origin", "null").status()).isEqualTo(403);
    }

    @Test
    void the_servers_own_origin_and_configured_origins_pass() {
        int port = server.http.port();
        assertThat(server.client().post(INITIALIZE, "Origin", "http://localhost:" + port).status()).isEqualTo(200);
        assertThat(server.client().post(INITIALIZE, "Origin", "http://127.0.0.1:" + port).status()).isEqualTo(200);
        assertThat(server.client().post(INITIALIZE, "Origin", "https://APP.example.com").status()).isEqualTo(200);
    }

    @Test
    void no_origin_is_allowed_for_non_browser_clients() {
        assertThat(server.client().post(INITIALIZE).status()).isEqualTo(200);
    }

    @Test
    @Tag("T-03")
    void a_foreign_host_on_a_loopback_server_is_403_even_without_origin() {
        McpReply reply = server.client().raw("POST", "/mcp", INITIALIZE, "Content-Type", "application/json",
                "Accept", "application/json, text/event-stream", "Host", "evil.example.com:" + server.http.port());
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.error().path("message").asString()).contains("Host");
    }

    @Test
    void health_is_guarded_too() {
        assertThat(server.client().raw("GET", "/health", null, "Origin", "http://evil.example.com").status()).isEqualTo(403);
    }

    @Test
    void cors_preflight_from_an_allowed_origin_allows_the_mcp_headers() {
        McpReply reply = server.client().raw("OPTIONS", "/mcp", null, "Origin", "https://app.example.com",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization, mcp-session-id");
        assertThat(reply.status()).isEqualTo(204);
        assertThat(reply.header("Access-Control-Allow-Origin")).contains("https://app.example.com");
        assertThat(reply.header("Access-Control-Allow-Headers")).hasValueSatisfying(h -> assertThat(h)
                .contains("Authorization", "Mcp-Session-Id", "Mcp-Protocol-Version", "Mcp-Method", "Mcp-Name"));
    }

    @Test
    void responses_to_an_allowed_origin_expose_session_id_and_www_authenticate() {
        McpReply reply = server.client().post(INITIALIZE, "Origin", "https://app.example.com");
        assertThat(reply.header("Access-Control-Expose-Headers")).hasValueSatisfying(h -> assertThat(h)
                .contains("Mcp-Session-Id", "WWW-Authenticate"));
    }

    @Test
    void origins_are_compared_normalized_but_exactly() {
        assertThat(OriginHostGuard.normalizeOrigin("HTTP://LocalHost:80")).contains("http://localhost:80");
        assertThat(OriginHostGuard.normalizeOrigin("http://localhost")).contains("http://localhost:80");
        assertThat(OriginHostGuard.normalizeOrigin("https://a.example/")).contains("https://a.example:443");
        assertThat(OriginHostGuard.normalizeOrigin("http://user@localhost:80")).isEmpty();
        assertThat(OriginHostGuard.normalizeOrigin("javascript:alert(1)")).isEmpty();
        assertThat(OriginHostGuard.normalizeOrigin("http://localhost/path")).isEmpty();
    }
}
