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

/**
 * The MCP endpoint takes the same steps in the same order for POST, GET and DELETE: authenticate (headers only),
 * parse (headers, then the body), authorize, dispatch. An unauthenticated request is refused before anything else
 * of it is looked at, and its refusal has a null JSON-RPC id.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("RS-07")
class RequestStepsTest {

    static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}";
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
    void without_a_token_every_method_is_401_whatever_else_is_wrong_with_the_request() {
        McpTestClient anonymous = server.anonymous();
        McpReply wrongType = anonymous.post(PING, "Content-Type", "text/plain");
        McpReply getWithoutSse = anonymous.get("Accept", "application/json", "Mcp-Session-Id", "x");
        McpReply badVersion = anonymous.get("Accept", "text/event-stream", "MCP-Protocol-Version", "1999-01-01");
        McpReply delete = anonymous.delete("MCP-Protocol-Version", "1999-01-01");
        for (McpReply reply : new McpReply[] {wrongType, getWithoutSse, badVersion, delete}) {
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Bearer "));
            assertThat(reply.json().get("id").isNull()).isTrue();
        }
    }

    @Test
    void an_unauthenticated_body_is_never_parsed_so_its_id_is_not_repeated() {
        McpReply reply = server.anonymous().post(PING);
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.json().get("id").isNull()).isTrue();
    }

    @Test
    @Tag("T-13")
    @Tag("V-2")
    void the_protocol_version_is_checked_for_post_get_and_delete_alike_once_the_era_is_known() {
        McpTestClient client = server.with("tools");
        McpReply post = client.post(PING, "MCP-Protocol-Version", "1999-01-01");
        McpReply get = client.get("Accept", "text/event-stream", "MCP-Protocol-Version", "1999-01-01");
        McpReply delete = client.delete("MCP-Protocol-Version", "1999-01-01");
        for (McpReply reply : new McpReply[] {post, get, delete}) {
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.error().path("code").asInt()).isEqualTo(-32022);
            assertThat(reply.error().path("data").path("requested").asString()).isEqualTo("1999-01-01");
        }
        assertThat(post.json().path("id").asInt()).as("the POST body was read: its id is echoed").isEqualTo(7);
    }

    @Test
    void an_authenticated_request_is_parsed_then_dispatched() {
        McpTestClient client = server.with("tools").initialize();
        assertThat(client.post("{", "Content-Type", "application/json").status()).isEqualTo(400);
        assertThat(client.post(PING, "Content-Type", "text/plain").status()).isEqualTo(415);
        assertThat(client.get("Accept", "application/json").status()).isEqualTo(406);
        assertThat(client.call("ping", Map.of()).status()).isEqualTo(200);
        assertThat(client.delete().status()).isEqualTo(200);
        assertThat(client.delete().status()).as("the session has ended").isEqualTo(404);
    }
}
