package io.gatehouse.mcp.internal.server;

import io.gatehouse.mcp.context.RequestContext;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcException;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Serves the features of MCP servers that run elsewhere (the gateway's upstreams) in place of registered tools,
 * prompts and resources. The engine keeps everything else: the lifecycle, sessions, the access policy (a relayed
 * request is authorized before it reaches the relay, and the engine filters relayed lists item by item), and the
 * streams. A relay keeps one upstream connection per client session: {@link #open} at {@code initialize}, closed
 * with the session ({@link ClientChannel#onClose}).
 */
public interface Relay {

    /** The feature methods a relay serves; anything else is the engine's own. */
    Set<String> METHODS = Set.of("tools/list", "tools/call", "prompts/list", "prompts/get", "resources/list",
            "resources/templates/list", "resources/read", "resources/subscribe", "resources/unsubscribe",
            "completion/complete", "logging/setLevel");

    /**
     * What the upstreams declare to a client session: the feature capabilities ({@code tools}, {@code prompts},
     * {@code resources}, {@code completions}, {@code logging}) and their instructions.
     */
    record Handshake(ObjectNode capabilities, Optional<String> instructions) {
    }

    /**
     * Connects a client session that is initializing: its upstream sessions declare the client's capabilities and
     * report theirs.
     *
     * @throws JsonRpcException when no upstream can be reached (the client's {@code initialize} fails with it)
     */
    Handshake open(ClientChannel client);

    /**
     * Serves one of {@link #METHODS} for the client session behind {@code client}; for a stateless request, whose
     * session nobody finds again, the relay connects for this request alone. Blocks until the upstream answers;
     * {@code context} carries its progress and log messages, its requests to the client, and the client's
     * cancellation (the thread is interrupted).
     *
     * @return the result to send the client
     * @throws JsonRpcException the upstream's error, or the relay's own (unknown name, upstream unavailable, timeout)
     */
    JsonNode handle(String method, ObjectNode params, ClientChannel client, RequestContext context);

    /** The client of this session says its roots changed ({@code notifications/roots/list_changed}). */
    default void rootsChanged(ClientChannel client) {
    }

    /** The name of the upstream a request goes to, when it can be told from the request alone (for audit lines). */
    default Optional<String> upstreamOf(String method, ObjectNode params) {
        return Optional.empty();
    }
}
