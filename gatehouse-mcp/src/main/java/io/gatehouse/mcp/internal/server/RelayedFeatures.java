package io.gatehouse.mcp.internal.server;

import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.internal.server.AccessPolicy.Feature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The engine's side of a {@link Relay}: each client session's {@link ClientChannel} (made at its {@code initialize};
 * a stateless request gets one of its own, closed once it is answered), and the access policy applied to what comes
 * back, so that a relayed list shows only what the caller may see, item by item, as a list of registered features does.
 */
final class RelayedFeatures {

    private final Relay relay;
    private final AccessPolicy accessPolicy;
    private final Sessions sessions;
    private final ClientRequests clientRequests;

    RelayedFeatures(Relay relay, AccessPolicy accessPolicy, Sessions sessions, ClientRequests clientRequests) {
        this.relay = relay;
        this.accessPolicy = accessPolicy;
        this.sessions = sessions;
        this.clientRequests = clientRequests;
    }

    /**
     * Connects an initializing client session to the upstreams. A stateless server's {@code initialize} belongs to no
     * session: the upstreams are asked what they declare, and that connection closes at once.
     */
    Relay.Handshake open(McpSession session, Caller caller) {
        ClientChannel channel = new ClientChannel(session, caller, sessions, clientRequests);
        if (session.isTransient()) {
            try {
                return relay.open(channel);
            } finally {
                channel.close();
            }
        }
        session.channel(channel);
        return relay.open(channel);
    }

    /** One feature request through the relay, on the session's channel. */
    Object handle(String method, ObjectNode params, HandlerContext context) {
        McpSession session = context.session();
        ClientChannel channel = session.channel();
        boolean once = channel == null;
        if (once) {
            channel = new ClientChannel(session, context.caller(), sessions, clientRequests);
        }
        try {
            return visible(method, relay.handle(method, params, channel, context), context.caller());
        } finally {
            if (once) {
                channel.close();
            }
        }
    }

    /** The client's roots changed ({@code notifications/roots/list_changed}): the relay tells the upstreams. */
    void rootsChanged(ClientChannel channel) {
        relay.rootsChanged(channel);
    }

    /** The upstream a request goes to, if the relay can tell. */
    java.util.Optional<String> upstreamOf(String method, ObjectNode params) {
        return relay.upstreamOf(method, params);
    }

    private JsonNode visible(String method, JsonNode result, Caller caller) {
        record Listing(String member, Feature feature, String key) {
        }
        Listing listing = switch (method) {
            case "tools/list" -> new Listing("tools", Feature.TOOL, "name");
            case "prompts/list" -> new Listing("prompts", Feature.PROMPT, "name");
            case "resources/list" -> new Listing("resources", Feature.RESOURCE, "uri");
            case "resources/templates/list" -> new Listing("resourceTemplates", Feature.RESOURCE_TEMPLATE, "uriTemplate");
            default -> null;
        };
        if (listing == null || !(result.get(listing.member()) instanceof ArrayNode items)) {
            return result;
        }
        for (int i = items.size() - 1; i >= 0; i--) {
            // an item without a string name is one no rule can name: left out, not shown unchecked
            JsonNode name = items.get(i).get(listing.key());
            if (name == null || !name.isString()
                    || !accessPolicy.canSee(caller, listing.feature(), name.stringValue(), AccessPolicy.Requirement.NONE)) {
                items.remove(i);
            }
        }
        return result;
    }
}
