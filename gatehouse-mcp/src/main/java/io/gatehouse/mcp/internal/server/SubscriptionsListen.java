package io.gatehouse.mcp.internal.server;

import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.context.InsufficientScopeException;
import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcErrorCodes;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcException;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code subscriptions/listen} (MCP 2026-07-28 {@code basic/patterns/subscriptions}, S-1 … S-5): the request whose
 * response stream stays open and carries the change notifications the client opted in to. The handler acknowledges
 * first, with the subset it honours (S-2), then holds the request until the server ends the subscription (final
 * result, S-4), the client closes the stream (a cancellation: no answer, H-9) or the caller's credential expires.
 *
 * <p>Gatehouse's tool, prompt and resource lists are fixed when the server is built, so no list ever changes and no
 * {@code *ListChanged} is honoured; resource updates ({@link McpServer#notifyResourceUpdated}) are. A URI the caller
 * may not read is refused like {@code resources/read} of it, with the 403 challenge naming every scope the request
 * needs (RS-12): leaving it out of the acknowledgement would hide a permission problem behind a silently narrower
 * subscription, which the client could not tell from a URI the server does not know. A URI the server does not know
 * is left out of the acknowledged subset (the acknowledgement exists to say what is honoured).
 */
final class SubscriptionsListen {

    static final String METHOD = "subscriptions/listen";

    private final ResourceRegistry resources;
    private final Declarations declarations;
    private final AccessPolicy accessPolicy;
    private final Listeners listeners;
    private final SubscriptionFilter.Served served;
    private final Clock clock;

    SubscriptionsListen(ResourceRegistry resources, Declarations declarations, AccessPolicy accessPolicy,
                        Listeners listeners, Clock clock) {
        this.resources = resources;
        this.declarations = declarations;
        this.accessPolicy = accessPolicy;
        this.listeners = listeners;
        this.served = new SubscriptionFilter.Served(false, false, false, !resources.isEmpty());
        this.clock = clock;
    }

    /**
     * The authorization step: what {@code resources/read} of each subscribed URI needs, in one denial naming all the
     * scopes. A malformed filter is not judged here; the handler refuses it with {@code -32602}.
     */
    Optional<AccessPolicy.Denial> authorize(Caller caller, ObjectNode params) {
        SubscriptionFilter filter;
        try {
            filter = SubscriptionFilter.parse(params);
        } catch (JsonRpcException e) {
            return Optional.empty();
        }
        Set<String> scopes = new TreeSet<>();
        Set<String> reasons = new LinkedHashSet<>();
        for (String uri : filter.resourceSubscriptions()) {
            ObjectNode read = Json.object();
            read.put("uri", uri);
            accessPolicy.check(caller, "resources/read", read, declarations.addressedBy("resources/read", read))
                    .ifPresent(denial -> {
                        scopes.addAll(denial.requiredScopes());
                        reasons.add(denial.description());
                    });
        }
        if (reasons.isEmpty()) {
            return Optional.empty();
        }
        // the reasons name the URIs, which the client chose: the first one and a count, not all of them
        String first = reasons.iterator().next();
        return Optional.of(new AccessPolicy.Denial(scopes, reasons.size() == 1 ? first
                : first + " (and " + (reasons.size() - 1) + " more subscribed resources)"));
    }

    Object handle(ObjectNode params, HandlerContext context) {
        if (!context.session().modern()) {
            throw JsonRpcException.methodNotFound(METHOD); // legacy clients have the GET stream and resources/subscribe
        }
        SubscriptionFilter requested = SubscriptionFilter.parse(params);
        refuseUnreadable(context.caller(), params);
        Listener listener = new Listener(context.requestId(), context.caller().principalKey(),
                requested.honoured(served, resources::exists), context.sink(), listeners.next());
        listeners.add(listener);
        try {
            if (!listener.acknowledge() && !context.isCancelled()) {
                throw new JsonRpcException(JsonRpcErrorCodes.INVALID_REQUEST,
                        "subscriptions/listen is answered with an event stream: accept text/event-stream");
            }
            listener.awaitEnd(clock.instant(), context.caller().expiresAt());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // cancelled: the engine sends nothing more for this request
        } finally {
            listeners.remove(listener);
        }
        return listener.finalResult();
    }

    /** Defence in depth behind the transport's authorization step, for callers of the engine that skip it. */
    private void refuseUnreadable(Caller caller, ObjectNode params) {
        Optional<AccessPolicy.Denial> denial = authorize(caller, params);
        if (denial.isPresent() && !denial.get().requiredScopes().isEmpty()) {
            throw new InsufficientScopeException(denial.get().requiredScopes(), denial.get().description());
        }
        denial.ifPresent(d -> {
            throw new JsonRpcException(JsonRpcErrorCodes.INVALID_PARAMS, "Forbidden: " + d.description());
        });
    }
}
