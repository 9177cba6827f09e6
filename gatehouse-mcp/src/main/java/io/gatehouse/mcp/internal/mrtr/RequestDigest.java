package io.gatehouse.mcp.internal.mrtr;

import io.gatehouse.mcp.internal.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A digest of what identifies a request for MRTR (M-5): the method, the {@code name} or {@code uri} and the
 * {@code arguments} (absent ones counting as {@code {}}), in a canonical JSON form (object members sorted). {@code _meta}, {@code inputResponses} and
 * {@code requestState} are not part of it, as they change from round to round.
 */
public final class RequestDigest {

    private RequestDigest() {
    }

    /** SHA-256 of the canonical salient params, base64url. */
    public static String of(String method, ObjectNode params) {
        ObjectNode salient = Json.object();
        salient.put("method", method);
        copy(params, salient, "name");
        copy(params, salient, "uri");
        JsonNode arguments = params.get("arguments");
        // absent arguments are the empty ones, as the registries read them: a retry may spell them either way
        salient.set("arguments", arguments == null || arguments.isNull() ? Json.object() : arguments);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(Json.MAPPER.writeValueAsString(canonical(salient)).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static void copy(ObjectNode from, ObjectNode to, String field) {
        JsonNode value = from.get(field);
        if (value != null && !value.isNull()) {
            to.set(field, value);
        }
    }

    static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            node.properties().forEach(e -> sorted.put(e.getKey(), canonical(e.getValue())));
            ObjectNode copy = Json.object();
            sorted.forEach(copy::set);
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = Json.MAPPER.createArrayNode();
            node.forEach(element -> copy.add(canonical(element)));
            return copy;
        }
        return node;
    }
}
