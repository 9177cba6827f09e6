package io.gatehouse.mcp.internal.server;

import io.gatehouse.mcp.internal.json.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a session keeps of what a client said about itself at {@code initialize}: it lives as long as the session,
 * so it is bounded whatever the client sent (a body may be megabytes). Of {@code clientInfo} only the
 * descriptive strings, each cut to {@value #MAX_TEXT} characters with control characters replaced; of
 * {@code capabilities} at most {@value #MAX_CAPABILITIES} top-level names (which is all the server consults),
 * each keeping its value only when that value is small. Nothing is refused: an oversized description is cut.
 */
final class ClientDescription {

    static final int MAX_TEXT = 256;
    static final int MAX_CAPABILITIES = 32;
    static final int MAX_CAPABILITY_NAME = 64;
    /** Rough budget (characters and nodes) of one capability's value; a larger value is kept as {@code {}}. */
    static final int MAX_CAPABILITY_VALUE = 1024;
    private static final List<String> INFO_FIELDS = List.of("name", "title", "version", "websiteUrl", "description");

    private ClientDescription() {
    }

    /** The bounded {@code clientInfo}; empty when the client sent no object. */
    static Optional<JsonNode> info(JsonNode info) {
        if (info == null || !info.isObject()) {
            return Optional.empty();
        }
        ObjectNode kept = Json.object();
        for (String field : INFO_FIELDS) {
            JsonNode value = info.get(field);
            if (value != null && value.isString()) {
                kept.put(field, text(value.stringValue()));
            }
        }
        return Optional.of(kept);
    }

    /** The bounded {@code capabilities}; an empty object when the client sent no object. */
    static ObjectNode capabilities(JsonNode capabilities) {
        ObjectNode kept = Json.object();
        if (capabilities == null || !capabilities.isObject()) {
            return kept;
        }
        for (Map.Entry<String, JsonNode> entry : capabilities.properties()) {
            if (kept.size() >= MAX_CAPABILITIES) {
                break;
            }
            if (entry.getKey().length() <= MAX_CAPABILITY_NAME) {
                kept.set(entry.getKey(), fits(entry.getValue(), MAX_CAPABILITY_VALUE) >= 0 ? entry.getValue().deepCopy() : Json.object());
            }
        }
        return kept;
    }

    /** A client string cut to {@value #MAX_TEXT} characters (never inside a surrogate pair), control characters replaced. */
    static String text(String value) {
        int end = Math.min(value.length(), MAX_TEXT);
        if (end < value.length() && end > 0 && Character.isHighSurrogate(value.charAt(end - 1))) {
            end--;
        }
        StringBuilder out = new StringBuilder(end);
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return out.toString();
    }

    /** What is left of {@code budget} after {@code node}; negative (and the walk stopped early) when it does not fit. */
    private static int fits(JsonNode node, int budget) {
        int left = budget - 8 - (node.isString() ? node.stringValue().length() : 0);
        for (Map.Entry<String, JsonNode> child : node.properties()) {
            if (left < 0) {
                return left;
            }
            left = fits(child.getValue(), left - child.getKey().length());
        }
        if (node.isArray()) {
            for (JsonNode item : node) {
                if (left < 0) {
                    return left;
                }
                left = fits(item, left);
            }
        }
        return left;
    }
}
