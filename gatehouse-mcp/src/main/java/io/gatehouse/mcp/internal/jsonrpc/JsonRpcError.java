package io.gatehouse.mcp.internal.jsonrpc;

import tools.jackson.databind.JsonNode;

/** The {@code error} member of a JSON-RPC response. {@code data} may be null. */
public record JsonRpcError(int code, String message, JsonNode data) {
    public JsonRpcError(int code, String message) {
        this(code, message, null);
    }
}
