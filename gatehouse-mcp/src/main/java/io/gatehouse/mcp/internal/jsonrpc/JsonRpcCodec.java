package io.gatehouse.mcp.internal.jsonrpc;

import static io.gatehouse.mcp.internal.jsonrpc.JsonRpcErrorCodes.INVALID_REQUEST;
import static io.gatehouse.mcp.internal.jsonrpc.JsonRpcErrorCodes.PARSE_ERROR;

import io.gatehouse.mcp.internal.json.Json;
import java.io.ByteArrayOutputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/** Reads one JSON-RPC message from bytes and writes messages back, compactly. */
public final class JsonRpcCodec {

    private JsonRpcCodec() {
    }

    /**
     * Parses a body. Malformed JSON is {@code -32700}; valid JSON that is not one JSON-RPC message (an array,
     * a missing or wrong {@code jsonrpc}, a null id, ...) is {@code -32600}.
     */
    public static JsonRpcMessage parse(byte[] body) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (StreamConstraintsException e) {
            throw new JsonRpcException(INVALID_REQUEST, "Invalid Request: the JSON is nested deeper than "
                    + Json.MAX_NESTING_DEPTH + " levels or has an oversized value");
        } catch (JacksonException e) {
            throw new JsonRpcException(PARSE_ERROR, "Parse error: the body is not valid JSON");
        }
        if (node == null || node.isMissingNode()) {
            throw new JsonRpcException(PARSE_ERROR, "Parse error: the body is empty");
        }
        return classify(node);
    }

    static JsonRpcMessage classify(JsonNode node) {
        if (node.isArray()) {
            throw new JsonRpcException(INVALID_REQUEST,
                    "Invalid Request: JSON-RPC batches are not supported; send one message per POST");
        }
        if (!node.isObject()) {
            throw invalid("a JSON-RPC message must be a JSON object");
        }
        if (!"2.0".equals(node.path("jsonrpc").stringValue(null))) {
            throw invalid("\"jsonrpc\" must be \"2.0\"");
        }
        JsonNode id = node.get("id");
        JsonNode method = node.get("method");
        if (method != null) {
            if (!method.isString() || method.stringValue().isEmpty()) {
                throw invalid("\"method\" must be a non-empty string");
            }
            JsonNode params = node.get("params");
            ObjectNode paramsObject;
            if (params == null || params.isNull()) {
                paramsObject = Json.object();
            } else if (params.isObject()) {
                paramsObject = (ObjectNode) params;
            } else {
                throw invalid("\"params\" must be an object");
            }
            if (id == null) {
                return new JsonRpcMessage.Notification(method.stringValue(), paramsObject);
            }
            requireValidId(id);
            return new JsonRpcMessage.Request(id, method.stringValue(), paramsObject);
        }
        if (node.has("error") && node.has("result")) {
            throw invalid("a response carries either \"result\" or \"error\", not both");
        }
        if (node.has("error")) {
            // an error response may carry a null (or, since 2025-11-25, no) id when the failed request's id is unknown
            JsonNode errorId = id == null || id.isNull() ? NullNode.getInstance() : id;
            if (!errorId.isNull()) {
                requireValidId(errorId);
            }
            JsonNode error = node.get("error");
            return new JsonRpcMessage.ErrorResponse(errorId, new JsonRpcError(error.path("code").asInt(0),
                    error.path("message").asString(""), error.get("data")));
        }
        if (id != null && node.has("result")) {
            requireValidId(id);
            return new JsonRpcMessage.Response(id, node.get("result"));
        }
        throw invalid("a message needs a \"method\" (request or notification) or a \"result\"/\"error\" with an \"id\"");
    }

    /** The request id of a body that failed later checks, if it had a usable one. */
    public static JsonNode idOf(JsonRpcMessage message) {
        return switch (message) {
            case JsonRpcMessage.Request r -> r.id();
            case JsonRpcMessage.Response r -> r.id();
            case JsonRpcMessage.ErrorResponse r -> r.id();
            case JsonRpcMessage.Notification n -> null;
        };
    }

    private static boolean isValidId(JsonNode id) {
        return id.isString() || id.isIntegralNumber();
    }

    private static void requireValidId(JsonNode id) {
        if (!isValidId(id)) {
            throw invalid("\"id\" must be a string or an integer");
        }
    }

    private static JsonRpcException invalid(String why) {
        return new JsonRpcException(INVALID_REQUEST, "Invalid Request: " + why);
    }

    public static byte[] write(JsonRpcMessage message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringProperty("jsonrpc", "2.0");
            switch (message) {
                case JsonRpcMessage.Request r -> {
                    g.writePOJOProperty("id", r.id());
                    g.writeStringProperty("method", r.method());
                    g.writePOJOProperty("params", r.params());
                }
                case JsonRpcMessage.Notification n -> {
                    g.writeStringProperty("method", n.method());
                    g.writePOJOProperty("params", n.params());
                }
                case JsonRpcMessage.Response r -> {
                    g.writePOJOProperty("id", r.id());
                    g.writePOJOProperty("result", r.result() == null ? Json.object() : r.result());
                }
                case JsonRpcMessage.ErrorResponse e -> {
                    if (e.id() == null) {
                        g.writeNullProperty("id");
                    } else if (!e.id().isMissingNode()) {
                        g.writePOJOProperty("id", e.id());
                    }
                    g.writePOJOProperty("error", e.error());
                }
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }
}
