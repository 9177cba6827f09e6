package io.gatehouse.mcp.internal.mrtr;

import io.gatehouse.mcp.internal.jsonrpc.JsonRpcErrorCodes;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcException;

/**
 * Ends a handler run that asked for input the request does not carry yet: the engine then answers the
 * {@code InputRequiredResult} its {@link InputRound} describes. It travels as a {@link JsonRpcException} so that every
 * registry passes it through untouched; should it ever be rendered as an error, it reads as an internal one. The engine
 * does not depend on it arriving: a handler that swallows it still gets the round's {@code InputRequiredResult}.
 */
public final class InputRequired extends JsonRpcException {
    InputRequired() {
        super(JsonRpcErrorCodes.INTERNAL_ERROR, "Internal error");
    }
}
