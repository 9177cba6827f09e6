package io.gatehouse.mcp.internal.jsonrpc;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One JSON-RPC 2.0 message. MCP forbids batches since 2025-06-18, so a body holds exactly one of these.
 * Ids are kept as the JSON node the peer sent (a string or an integer) and echoed back unchanged.
 */
public sealed interface JsonRpcMessage {

    /** A request: has an id and expects exactly one response. {@code params} is never null. */
    record Request(JsonNode id, String method, ObjectNode params) implements JsonRpcMessage {
    }

    /** A notification: no id, no response. {@code params} is never null. */
    record Notification(String method, ObjectNode params) implements JsonRpcMessage {
    }

    /** A successful response. {@code result} is any value Jackson can write. */
    record Response(JsonNode id, Object result) implements JsonRpcMessage {
    }

    /**
     * An error response. {@code id} is null when the request's id could not be read, written as {@code "id": null}
     * (the legacy form); a {@link tools.jackson.databind.node.MissingNode} leaves {@code id} out instead, as MCP
     * 2026-07-28 requires (its {@code id} is optional, never null: B-3).
     */
    record ErrorResponse(JsonNode id, JsonRpcError error) implements JsonRpcMessage {
    }
}
