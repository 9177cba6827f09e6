package io.gatehouse.mcp.internal.server;

import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.node.StringNode;

/**
 * Requests the server has sent to clients and whose responses it awaits. Ids are random, so a response
 * arriving on a different POST (as Streamable HTTP requires) finds its request without any session lookup,
 * and a client cannot complete another client's request by guessing.
 */
final class ClientRequests {

    private static final SecureRandom RANDOM = new SecureRandom();

    record Pending(McpSession session, CompletableFuture<JsonRpcMessage> response) {
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    StringNode newId(McpSession session, CompletableFuture<JsonRpcMessage> response) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String id = "srv-" + HexFormat.of().formatHex(bytes);
        pending.put(id, new Pending(session, response));
        return StringNode.valueOf(id);
    }

    void forget(String id) {
        pending.remove(id);
    }

    /**
     * Completes the request a client response answers. Returns false when no request with that id is pending,
     * or when it was sent on another session.
     */
    boolean complete(String id, JsonRpcMessage response, McpSession from) {
        Pending p = pending.get(id);
        if (p == null || (!p.session().isTransient() && p.session() != from)) {
            return false;
        }
        pending.remove(id);
        p.response().complete(response);
        return true;
    }

    Optional<Pending> find(String id) {
        return Optional.ofNullable(pending.get(id));
    }
}
