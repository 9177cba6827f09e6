package io.gatehouse.mcp.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcError;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.IntNode;

/**
 * Drives an {@link McpServer} with MCP 2026-07-28 requests, each on its own transient modern session (as the
 * transport serves them), and reads the answers as they travel on the wire.
 */
final class Modern {

    static final String ALL_CAPABILITIES = "{\"elicitation\": {}, \"sampling\": {}, \"roots\": {}}";

    final McpServer server;
    final List<JsonRpcMessage> sent = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger(100);

    Modern(McpServer server) {
        this.server = server;
    }

    Optional<JsonRpcMessage> send(Caller caller, String capabilities, String method, String paramsJson) {
        McpSession session = McpSession.modern(Wire.json(capabilities), Wire.json("{\"name\": \"t\", \"version\": \"1\"}"), null);
        return server.handle(new JsonRpcMessage.Request(IntNode.valueOf(ids.incrementAndGet()), method, Wire.params(paramsJson)),
                session, caller, message -> {
                    sent.add(message);
                    return true;
                });
    }

    JsonNode result(String method, String paramsJson) {
        return result(Caller.anonymous(), ALL_CAPABILITIES, method, paramsJson);
    }

    JsonNode result(Caller caller, String capabilities, String method, String paramsJson) {
        Optional<JsonRpcMessage> answer = send(caller, capabilities, method, paramsJson);
        assertThat(answer).get().isInstanceOf(JsonRpcMessage.Response.class);
        return Wire.onWire(answer.orElseThrow()).get("result");
    }

    JsonRpcError error(String method, String paramsJson) {
        return error(Caller.anonymous(), ALL_CAPABILITIES, method, paramsJson);
    }

    JsonRpcError error(Caller caller, String capabilities, String method, String paramsJson) {
        Optional<JsonRpcMessage> answer = send(caller, capabilities, method, paramsJson);
        assertThat(answer).get().isInstanceOf(JsonRpcMessage.ErrorResponse.class);
        return ((JsonRpcMessage.ErrorResponse) answer.orElseThrow()).error();
    }

    /** The same call again, with answers and the state of the previous round (params merged as JSON text). */
    static String retry(String params, JsonNode inputRequired, String inputResponses) {
        String base = params.strip();
        return base.substring(0, base.length() - 1) + ", \"inputResponses\": " + inputResponses
                + ", \"requestState\": " + inputRequired.get("requestState") + "}";
    }
}
