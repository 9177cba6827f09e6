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

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StatelessModeTest {

    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(c -> c.withSessionMode(SessionMode.STATELESS));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    @Tag("T-12")
    void initialize_mints_no_session_id_and_every_post_stands_alone() {
        McpTestClient client = server.client().initialize();
        assertThat(client.sessionId()).isNull();
        McpReply reply = client.call("tools/call", Map.of("name", "hello"));
        assertThat(reply.result().path("content").get(0).path("text").asString()).isEqualTo("hello");
    }

    @Test
    void a_session_id_header_is_ignored() {
        McpReply reply = server.client().post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", "Mcp-Session-Id", "whatever");
        assertThat(reply.status()).isEqualTo(200);
    }

    @Test
    @Tag("T-09")
    void get_and_delete_are_405() {
        McpReply get = server.client().get("Accept", "text/event-stream");
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.header("Allow")).contains("POST, OPTIONS");
        assertThat(server.client().delete().status()).isEqualTo(405);
    }

    @Test
    void subscriptions_are_not_offered_because_nothing_could_deliver_updates() {
        McpReply init = server.client().call("initialize", Map.of("protocolVersion", "2025-11-25", "capabilities", Map.of(),
                "clientInfo", Map.of("name", "t", "version", "1")));
        assertThat(init.result().path("capabilities").path("resources").path("subscribe").asBoolean()).isFalse();
        assertThat(server.client().call("resources/subscribe", Map.of("uri", "test://watched")).error().path("code").asInt())
                .isEqualTo(-32601);
    }
}
