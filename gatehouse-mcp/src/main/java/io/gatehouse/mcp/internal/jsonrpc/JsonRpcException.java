package io.gatehouse.mcp.internal.jsonrpc;

import tools.jackson.databind.JsonNode;

/**
 * A protocol error: becomes a JSON-RPC {@code error} response. Tool business failures are not this; they
 * are {@code ToolExecutionException} and become a result with {@code isError: true}.
 */
public class JsonRpcException extends RuntimeException {
    private final transient JsonRpcError error;

    public JsonRpcException(int code, String message) {
        this(new JsonRpcError(code, message));
    }

    public JsonRpcException(int code, String message, JsonNode data) {
        this(new JsonRpcError(code, message, data));
    }

    public JsonRpcException(JsonRpcError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public JsonRpcError error() {
        return error;
    }

    public static JsonRpcException invalidParams(String message) {
        return new JsonRpcException(JsonRpcErrorCodes.INVALID_PARAMS, message);
    }

    /**
     * {@code -32021} (MCP 2026-07-28, B-7): processing needs {@code capability}, which the request's
     * {@code clientCapabilities} do not declare; {@code data.requiredCapabilities} names it as a ClientCapabilities object.
     */
    public static JsonRpcException missingClientCapability(String capability) {
        tools.jackson.databind.node.ObjectNode data = io.gatehouse.mcp.internal.json.Json.object();
        data.putObject("requiredCapabilities").putObject(capability);
        return new JsonRpcException(JsonRpcErrorCodes.MISSING_CLIENT_CAPABILITY,
                "Missing required client capability: " + capability, data);
    }

    public static JsonRpcException methodNotFound(String method) {
        return new JsonRpcException(JsonRpcErrorCodes.METHOD_NOT_FOUND, "Method not found: " + method);
    }
}
