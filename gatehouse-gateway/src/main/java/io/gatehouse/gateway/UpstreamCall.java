package io.gatehouse.gateway;

import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;

/** A request in flight to the upstream. */
public interface UpstreamCall {

    /** The JSON-RPC id Gatehouse gave the request on the upstream connection. */
    long id();

    /**
     * The request's {@code result}; completes exceptionally with an {@link UpstreamException}: the upstream's own
     * error ({@link UpstreamException.Kind#ERROR_RESPONSE}), or a timeout, an unreachable upstream, ...
     */
    CompletableFuture<JsonNode> result();

    /**
     * Cancels the request (the client cancelled it): sends {@code notifications/cancelled} to the upstream and fails
     * {@link #result()} with {@link UpstreamException.Kind#CANCELLED}. No effect once the result is in.
     */
    void cancel(String reason);
}
