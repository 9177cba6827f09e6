package io.gatehouse.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.McpReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Authentication stays first on the 2026-07-28 path (401/403 before era validation), and its refusals follow the
 * revision's error rules: the request's id when it was read, never {@code "id": null} (B-3).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("B-3")
class ModernRefusalsTest {

    static final String DEPLOY = """
            {"jsonrpc": "2.0", "id": 9, "method": "tools/call", "params": {"name": "deploy", "_meta": {
              "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {}}}}""";
    static ProtectedTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = ProtectedTestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    @Tag("RS-07")
    void a_modern_request_without_a_token_is_401_without_an_id_and_its_body_unread() {
        McpReply reply = server.anonymous().post("{not even json", "MCP-Protocol-Version", "2026-07-28");
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Bearer "));
        assertThat(reply.json().has("id")).isFalse();
    }

    @Test
    @Tag("H-2")
    @Tag("attack")
    void a_foreign_origin_on_a_modern_request_is_403_without_an_id() {
        McpReply reply = server.with("tools").post(DEPLOY, "MCP-Protocol-Version", "2026-07-28", "Origin", "http://evil.example.com");
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.json().has("id")).isFalse();
    }

    @Test
    void a_legacy_request_without_a_token_keeps_its_null_id() {
        McpReply reply = server.anonymous().post(RequestStepsTest.PING);
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.json().get("id").isNull()).isTrue();
    }

    @Test
    @Tag("attack")
    void authentication_comes_before_era_validation() {
        McpReply reply = server.with("nope").post(DEPLOY, "MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "wrong");
        assertThat(reply.status()).isEqualTo(401);
    }

    @Test
    @Tag("RS-13")
    void a_step_up_refusal_echoes_the_modern_request_id() {
        McpReply reply = server.with("tools").post(DEPLOY, "MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "tools/call",
                "Mcp-Name", "deploy");
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.json().path("id").asInt()).isEqualTo(9);
        assertThat(server.with("deployer").post(DEPLOY, "MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "tools/call",
                "Mcp-Name", "deploy").status()).isEqualTo(200);
    }
}
