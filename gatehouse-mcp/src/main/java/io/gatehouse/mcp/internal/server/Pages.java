package io.gatehouse.mcp.internal.server;

import io.gatehouse.mcp.internal.jsonrpc.JsonRpcException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Cursor pagination for the list methods. The cursor is opaque to clients (base64url of an offset); one that
 * this server did not issue is {@code -32602}.
 */
final class Pages {

    private static final String PREFIX = "gh1:";

    private Pages() {
    }

    static ObjectNode page(String member, List<? extends JsonNode> items, JsonNode cursor, int pageSize) {
        int offset = offset(cursor, items.size());
        int end = Math.min(items.size(), offset + pageSize);
        ObjectNode result = io.gatehouse.mcp.internal.json.Json.object();
        ArrayNode array = result.putArray(member);
        for (int i = offset; i < end; i++) {
            array.add(items.get(i));
        }
        if (end < items.size()) {
            result.put("nextCursor", encode(end));
        }
        return result;
    }

    static String encode(int offset) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + offset).getBytes(StandardCharsets.US_ASCII));
    }

    private static int offset(JsonNode cursor, int size) {
        if (cursor == null || cursor.isNull()) {
            return 0;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor.stringValue("")), StandardCharsets.US_ASCII);
            if (decoded.startsWith(PREFIX)) {
                int offset = Integer.parseInt(decoded.substring(PREFIX.length()));
                if (offset >= 0 && offset <= size) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw JsonRpcException.invalidParams("Invalid cursor");
    }
}
