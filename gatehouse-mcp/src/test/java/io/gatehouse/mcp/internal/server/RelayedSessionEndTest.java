package io.gatehouse.mcp.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.context.RequestContext;
import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcErrorCodes;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcException;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A relay whose upstream session ends (a stdio child crashed) ends the client session and fails the calls that
 * upstream was serving: the client gets that error on the call's stream, and 404 afterwards. The worst interleaving
 * is modelled: the session is ended before the failed call answers.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RelayedSessionEndTest {

    /** A relay whose upstream dies during every call: it ends the client session, then fails the call. */
    private static final Relay DYING_UPSTREAM = new Relay() {
        @Override
        public Handshake open(ClientChannel client) {
            ObjectNode capabilities = Json.object();
            capabilities.putObject("tools");
            return new Handshake(capabilities, Optional.empty());
        }

        @Override
        public JsonNode handle(String method, ObjectNode params, ClientChannel client, RequestContext context) {
            client.end();
            throw new JsonRpcException(JsonRpcErrorCodes.INTERNAL_ERROR, "upstream 'u' exited with code 137");
        }
    };

    @Test
    void a_call_whose_upstream_ends_the_session_still_answers_its_error() {
        McpServer server = McpServer.builder("gateway", "1").relay(DYING_UPSTREAM).build();
        McpSession session = server.sessions().create(Caller.anonymous(), Wire.LATEST);
        Wire wire = new Wire(server, session);
        wire.result("initialize", """
                {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}""");

        Optional<JsonRpcMessage> answer = wire.send("tools/call", """
                {"name": "long_running", "arguments": {}}""");

        assertThat(answer).get().isInstanceOfSatisfying(JsonRpcMessage.ErrorResponse.class, error -> {
            assertThat(error.error().code()).isEqualTo(JsonRpcErrorCodes.INTERNAL_ERROR);
            assertThat(error.error().message()).isEqualTo("upstream 'u' exited with code 137");
        });
        assertThat(server.sessions().find(session.id().orElseThrow())).isEmpty();
        assertThat(Thread.interrupted()).as("no cancellation leaks into the thread").isFalse();
    }
}
