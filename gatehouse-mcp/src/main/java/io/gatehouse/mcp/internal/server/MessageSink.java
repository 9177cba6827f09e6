package io.gatehouse.mcp.internal.server;

import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;

/**
 * Where messages from the server to the client go: the SSE stream of the POST being answered, or the
 * session's standalone GET stream. Implementations are thread-safe.
 */
public interface MessageSink {

    /** Sends one message; returns false when this sink cannot carry it (e.g. the client accepts only JSON). */
    boolean send(JsonRpcMessage message);

    /** A sink that carries nothing. */
    MessageSink NONE = message -> false;
}
