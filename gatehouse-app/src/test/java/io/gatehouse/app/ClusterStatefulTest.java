package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.McpReply;
import io.gatehouse.testkit.McpTestClient;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 14 point 3, stateful mode: two Gatehouse processes on one PostgreSQL behind HAProxy with the stickiness on
 * {@code Mcp-Session-Id} of {@code deploy/haproxy.cfg}. Every request of a session, the GET stream included, goes to
 * the node that created it; a node that does not know a session id answers 404, so the client initializes again.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("issue-14")
class ClusterStatefulTest {

    static final String REDIRECT = "http://127.0.0.1:4398/callback";
    static final String VERIFIER = "cluster-stateful-verifier-0123456789-abcdefghijklmnop";
    static GatehouseCluster cluster;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        cluster = GatehouseCluster.start("stateful");
        OAuthTestDriver browser = new OAuthTestDriver(URI.create("http://127.0.0.1:" + cluster.node(1).port));
        String clientId = browser.register(REDIRECT).path("client_id").asString();
        URI callback = browser.loginAndConsent(browser.authorize(clientId, REDIRECT, VERIFIER, "mcp:read mcp:tools"),
                "alice", GatehouseCluster.PASSWORD);
        JsonNode tokens = browser.token(Map.of("grant_type", "authorization_code", "code", OAuthTestDriver.param(callback, "code"),
                "redirect_uri", REDIRECT, "client_id", clientId, "code_verifier", VERIFIER));
        token = tokens.path("access_token").asString();
        assertThat(token).as(tokens.toString()).isNotBlank();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Tag("T-07")
    @Tag("T-09")
    void every_request_of_a_session_and_its_get_stream_go_to_the_node_that_created_it() throws Exception {
        int[] sessionsBefore = {sessions(1), sessions(2)};
        McpTestClient client = McpTestClient.to(cluster.mcpUrl()).header("Authorization", "Bearer " + token).initialize();
        assertThat(client.sessionId()).isNotBlank();
        int[] sessionsAfter = {sessions(1), sessions(2)};
        int owner = sessionsAfter[0] > sessionsBefore[0] ? 1 : 2;
        assertThat(sessionsAfter[owner - 1] - sessionsBefore[owner - 1]).isEqualTo(1);
        assertThat(sessionsAfter[2 - owner]).isEqualTo(sessionsBefore[2 - owner]);

        long[] before = {cluster.node(1).mcpRequests(), cluster.node(2).mcpRequests()};
        for (int i = 0; i < 6; i++) {
            McpReply reply = client.call("tools/call", Map.of("name", "echo", "arguments", Map.of("message", "sticky " + i)));
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        }
        HttpResponse<InputStream> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(cluster.mcpUrl())
                .timeout(Duration.ofSeconds(30)).header("Accept", "text/event-stream").header("Authorization", "Bearer " + token)
                .header("Mcp-Session-Id", client.sessionId()).header("MCP-Protocol-Version", "2025-11-25").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = stream.body()) {
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
            long[] after = {cluster.node(1).mcpRequests(), cluster.node(2).mcpRequests()};
            assertThat(after[owner - 1] - before[owner - 1]).as("the session's node served the six calls and the GET stream").isEqualTo(7);
            assertThat(after[2 - owner] - before[2 - owner]).as("the other node served none").isZero();
        }
        McpReply streamElsewhere = cluster.node(3 - owner).direct().header("Authorization", "Bearer " + token)
                .get("Accept", "text/event-stream", "Mcp-Session-Id", client.sessionId(), "MCP-Protocol-Version", "2025-11-25");
        assertThat(streamElsewhere.status()).as("the other node does not know the session").isEqualTo(404);
    }

    @Test
    @Tag("T-07")
    void a_node_that_does_not_know_the_session_answers_404_and_the_client_starts_a_new_one() {
        int before = sessions(1);
        McpTestClient client = McpTestClient.to(cluster.mcpUrl()).header("Authorization", "Bearer " + token).initialize();
        int owner = sessions(1) > before ? 1 : 2;
        McpReply elsewhere = cluster.node(3 - owner).direct().header("Authorization", "Bearer " + token)
                .header("Mcp-Session-Id", client.sessionId()).header("MCP-Protocol-Version", "2025-11-25").call("ping", Map.of());
        assertThat(elsewhere.status()).as(elsewhere.body()).isEqualTo(404);
        McpReply unknown = McpTestClient.to(cluster.mcpUrl()).header("Authorization", "Bearer " + token)
                .header("Mcp-Session-Id", "no-such-session-0123456789").header("MCP-Protocol-Version", "2025-11-25").call("ping", Map.of());
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(404);

        McpTestClient again = McpTestClient.to(cluster.mcpUrl()).header("Authorization", "Bearer " + token).initialize();
        assertThat(again.sessionId()).isNotEqualTo(client.sessionId());
        assertThat(again.call("ping", Map.of()).status()).isEqualTo(200);
    }

    private static int sessions(int node) {
        return cluster.node(node).managementHealth().path("sessions").asInt();
    }
}
