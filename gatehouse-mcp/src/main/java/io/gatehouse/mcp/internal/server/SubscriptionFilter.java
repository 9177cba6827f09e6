package io.gatehouse.mcp.internal.server;

import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code notifications} of a {@code subscriptions/listen} request (MCP 2026-07-28 SubscriptionFilter, S-1):
 * which change notifications the client opts in to. Every field is optional and absent means "not wanted". The
 * URIs are the client's strings, kept for the stream's life, so they are bounded like a legacy session's
 * subscriptions: at most {@value McpSession#MAX_SUBSCRIPTIONS}, each at most {@value McpServer#MAX_URI} characters.
 *
 * @param resourceSubscriptions the URIs, without duplicates, in the client's order; empty when none
 * @param resourcesRequested    whether {@code resourceSubscriptions} was present at all (even empty)
 */
record SubscriptionFilter(boolean toolsListChanged, boolean promptsListChanged, boolean resourcesListChanged,
                          List<String> resourceSubscriptions, boolean resourcesRequested) {

    SubscriptionFilter {
        resourceSubscriptions = List.copyOf(resourceSubscriptions);
    }

    /**
     * Reads {@code params.notifications} (required).
     *
     * @throws JsonRpcException {@code -32602} when it is missing, a flag is not a boolean, or the URIs are not a
     *                          bounded array of bounded strings
     */
    static SubscriptionFilter parse(ObjectNode params) {
        JsonNode filter = params.get("notifications");
        if (filter == null || !filter.isObject()) {
            throw JsonRpcException.invalidParams("params.notifications must be an object");
        }
        JsonNode uris = filter.get("resourceSubscriptions");
        return new SubscriptionFilter(flag(filter, "toolsListChanged"), flag(filter, "promptsListChanged"),
                flag(filter, "resourcesListChanged"), uris(uris), uris != null);
    }

    /** Only what was asked and {@code served}; of the URIs, only those {@code known} (S-2: the honoured subset). */
    SubscriptionFilter honoured(Served served, Predicate<String> known) {
        return new SubscriptionFilter(toolsListChanged && served.toolsListChanged(),
                promptsListChanged && served.promptsListChanged(),
                resourcesListChanged && served.resourcesListChanged(),
                served.resourceSubscriptions() ? resourceSubscriptions.stream().filter(known).toList() : List.of(),
                resourcesRequested && served.resourceSubscriptions());
    }

    /** The filter as the acknowledgement carries it: only the fields that are on. */
    ObjectNode toJson() {
        ObjectNode json = Json.object();
        if (toolsListChanged) {
            json.put("toolsListChanged", true);
        }
        if (promptsListChanged) {
            json.put("promptsListChanged", true);
        }
        if (resourcesListChanged) {
            json.put("resourcesListChanged", true);
        }
        if (resourcesRequested) {
            json.set("resourceSubscriptions", Json.MAPPER.valueToTree(resourceSubscriptions));
        }
        return json;
    }

    /** Which kinds of change notification a server delivers at all. */
    record Served(boolean toolsListChanged, boolean promptsListChanged, boolean resourcesListChanged,
                  boolean resourceSubscriptions) {
    }

    private static boolean flag(JsonNode filter, String name) {
        JsonNode value = filter.get(name);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw JsonRpcException.invalidParams("params.notifications." + name + " must be a boolean");
        }
        return value.booleanValue();
    }

    private static List<String> uris(JsonNode uris) {
        if (uris == null || uris.isNull()) {
            return List.of();
        }
        if (!uris.isArray()) {
            throw JsonRpcException.invalidParams("params.notifications.resourceSubscriptions must be an array of URIs");
        }
        if (uris.size() > McpSession.MAX_SUBSCRIPTIONS) {
            throw JsonRpcException.invalidParams("A subscription may name at most " + McpSession.MAX_SUBSCRIPTIONS
                    + " resources");
        }
        Set<String> kept = new LinkedHashSet<>();
        for (JsonNode uri : uris) {
            if (!uri.isString()) {
                throw JsonRpcException.invalidParams("params.notifications.resourceSubscriptions must hold strings");
            }
            if (uri.stringValue().length() > McpServer.MAX_URI) {
                throw JsonRpcException.invalidParams("a resource URI is longer than " + McpServer.MAX_URI + " characters");
            }
            kept.add(uri.stringValue());
        }
        return List.copyOf(kept);
    }
}
