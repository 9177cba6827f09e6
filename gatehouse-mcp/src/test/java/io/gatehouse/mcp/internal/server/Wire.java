package io.gatehouse.mcp.internal.server;

import io.gatehouse.mcp.context.Caller;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcCodec;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcError;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Drives an {@link McpServer} the way a transport does and reads its answers as they would travel on the wire
 * (written by {@link JsonRpcCodec} and parsed back), so that comparisons are between JSON documents.
 */
final class Wire {

    static final String LATEST = "2025-11-25";

    final McpServer server;
    final McpSession session;
    final Caller caller = Caller.anonymous();
    final List<JsonRpcMessage> sent = new CopyOnWriteArrayList<>();
    final MessageSink sink = message -> {
        sent.add(message);
        return true;
    };
    private final AtomicInteger ids = new AtomicInteger();

    Wire(McpServer server) {
        this(server, McpSession.transientSession(LATEST));
    }

    Wire(McpServer server, McpSession session) {
        this.server = server;
        this.session = session;
    }

    static JsonNode json(String text) {
        return Json.MAPPER.readTree(text);
    }

    static ObjectNode params(String text) {
        return (ObjectNode) json(text);
    }

    /** A message as it travels: written by the codec, parsed back. */
    static JsonNode onWire(JsonRpcMessage message) {
        return Json.MAPPER.readTree(JsonRpcCodec.write(message));
    }

    /** Any value as JSON, normalized through text so that numbers compare by value. */
    static JsonNode tree(Object value) {
        return Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(value));
    }

    Optional<JsonRpcMessage> send(String method, String paramsJson) {
        JsonRpcMessage.Request request = new JsonRpcMessage.Request(IntNode.valueOf(ids.incrementAndGet()), method,
                params(paramsJson));
        return server.handle(request, session, caller, sink);
    }

    /** The {@code result} of a request that must succeed. */
    JsonNode result(String method, String paramsJson) {
        Optional<JsonRpcMessage> answer = send(method, paramsJson);
        assertThat(answer).get().isInstanceOf(JsonRpcMessage.Response.class);
        JsonNode wire = onWire(answer.orElseThrow());
        assertThat(wire.has("error")).isFalse();
        return wire.get("result");
    }

    /** The {@code error} of a request that must fail with a protocol error. */
    JsonRpcError error(String method, String paramsJson) {
        Optional<JsonRpcMessage> answer = send(method, paramsJson);
        assertThat(answer).get().isInstanceOf(JsonRpcMessage.ErrorResponse.class);
        return ((JsonRpcMessage.ErrorResponse) answer.orElseThrow()).error();
    }

    JsonNode initialize(String capabilitiesJson) {
        return result("initialize", """
                {"protocolVersion": "2025-11-25", "capabilities": %s, "clientInfo": {"name": "test", "version": "1"}}
                """.formatted(capabilitiesJson));
    }

    List<JsonRpcMessage.Notification> notifications(String method) {
        return sent.stream()
                .filter(JsonRpcMessage.Notification.class::isInstance)
                .map(JsonRpcMessage.Notification.class::cast)
                .filter(n -> n.method().equals(method))
                .toList();
    }
}
