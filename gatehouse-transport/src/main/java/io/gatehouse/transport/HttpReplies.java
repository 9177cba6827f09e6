package io.gatehouse.transport;

import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcCodec;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcError;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import tools.jackson.databind.JsonNode;

/** Writes complete HTTP answers: JSON bodies, JSON-RPC errors, empty statuses (refusals go through {@link RefusalWriter}). */
final class HttpReplies {

    static final String JSON = "application/json";
    /** When a client should try again after the authorization server's store was unreachable. */
    static final int STORE_RETRY_AFTER_SECONDS = 5;

    private HttpReplies() {
    }

    static void json(Response response, Callback callback, int status, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    static void json(Response response, Callback callback, int status, JsonNode body) {
        json(response, callback, status, Json.MAPPER.writeValueAsBytes(body));
    }

    /**
     * A JSON-RPC error body with the given HTTP status; {@code id} is null when unknown, or missing to leave it out
     * (see {@link JsonRpcMessage.ErrorResponse}); {@code data} may be null.
     */
    static void rpcError(Response response, Callback callback, int status, JsonNode id, int code, String message,
                         JsonNode data) {
        json(response, callback, status, JsonRpcCodec.write(new JsonRpcMessage.ErrorResponse(id, new JsonRpcError(code, message, data))));
    }

    static void empty(Response response, Callback callback, int status) {
        response.setStatus(status);
        response.write(true, null, callback);
    }
}
