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

/**
 * A tool that finds at run time that the caller lacks a scope (SEP-2350 step-up from inside a tool) is answered like
 * a declared scope that is missing: 403 {@code insufficient_scope} naming the scope, with the request's id; or, once
 * the answer streams, an error event for that request that ends the stream.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("RS-11")
@Tag("RS-12")
@Tag("SEP-2350")
class StepUpTest {

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
    void a_tool_requiring_a_scope_the_token_lacks_is_a_403_challenge_naming_it() {
        McpTestClient client = server.with("tools").initialize();
        McpReply reply = client.call("tools/call", Map.of("name", "deploy", "arguments", Map.of()));
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h)
                .startsWith("Bearer error=\"insufficient_scope\"")
                .contains("scope=\"mcp:deploy\"")
                .contains("resource_metadata=\"" + ProtectedTestServer.RESOURCE_METADATA + "\""));
        assertThat(reply.json().get("id").isNull()).isFalse();
        assertThat(reply.error().path("code").asInt()).isEqualTo(StreamableHttpEndpoint.UNAUTHORIZED);
        assertThat(client.call("ping", Map.of()).status()).as("the session goes on").isEqualTo(200);
    }

    @Test
    void with_the_scope_the_tool_runs() {
        McpReply reply = server.with("deployer").initialize().call("tools/call", Map.of("name", "deploy", "arguments", Map.of()));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.result().path("content").get(0).path("text").asString()).isEqualTo("deployed by dora");
    }

    @Test
    void once_the_answer_streams_the_refusal_is_its_last_event() {
        McpTestClient client = server.with("tools").initialize();
        client.call("logging/setLevel", Map.of("level", "info"));
        McpReply reply = client.call("tools/call", Map.of("name", "deploy_after_log", "arguments", Map.of()));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.isSse()).isTrue();
        JsonNode last = reply.events().getLast();
        assertThat(last.path("error").path("code").asInt()).isEqualTo(StreamableHttpEndpoint.UNAUTHORIZED);
        assertThat(last.path("error").path("message").asString()).contains("mcp:deploy");
        assertThat(last.get("id").isNull()).isFalse();
        assertThat(reply.events()).hasSize(2);
    }
}
