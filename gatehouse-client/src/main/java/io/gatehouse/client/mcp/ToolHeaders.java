package io.gatehouse.client.mcp;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The {@code x-mcp-header} annotations of one tool's {@code inputSchema} (MCP 2026-07-28,
 * transports/streamable-http.mdx, "Custom Headers from Tool Parameters"): each names an {@code Mcp-Param-{name}}
 * header that mirrors the argument at its property path. {@link #parse} refuses a schema whose annotations break
 * the rules (empty or non-token name, a non-primitive or {@code number} type, a duplicate name ignoring case, an
 * annotation not reachable through {@code properties} alone); such a tool must not be offered or called.
 */
final class ToolHeaders {

    /** One annotated parameter: the header name part, the chain of property names leading to it. */
    record Param(String name, List<String> path) {
    }

    /** A schema whose annotations break the rules. */
    static final class Invalid extends Exception {
        Invalid(String reason) {
            super(reason, null, false, false);
        }
    }

    private static final String TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";
    private static final Set<String> PRIMITIVE = Set.of("string", "integer", "boolean");

    private final List<Param> params;

    private ToolHeaders(List<Param> params) {
        this.params = List.copyOf(params);
    }

    static ToolHeaders parse(JsonNode inputSchema) throws Invalid {
        List<Param> found = new ArrayList<>();
        scan(inputSchema, true, List.of(), found);
        Set<String> seen = new HashSet<>();
        for (Param param : found) {
            if (!seen.add(param.name().toLowerCase(Locale.ROOT))) {
                throw new Invalid("x-mcp-header \"" + param.name() + "\" is used twice (names are compared ignoring case)");
            }
        }
        return new ToolHeaders(found);
    }

    List<Param> params() {
        return params;
    }

    /** The {@code Mcp-Param-*} headers for these arguments, encoded; a parameter absent or null gets none. */
    Map<String, String> headers(JsonNode arguments) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Param param : params) {
            JsonNode value = arguments;
            for (String step : param.path()) {
                value = value == null ? null : value.get(step);
            }
            String text = text(value);
            if (text != null) {
                headers.put("Mcp-Param-" + param.name(), HeaderValue.encode(text));
            }
        }
        return headers;
    }

    private static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode() || value.isContainer()) {
            return null;
        }
        if (value.isBoolean()) {
            return value.asBoolean() ? "true" : "false";
        }
        if (value.isNumber()) {
            BigDecimal number = value.decimalValue();
            return number.stripTrailingZeros().scale() <= 0 ? number.toBigInteger().toString() : number.toPlainString();
        }
        return value.asString("");
    }

    /** Walks the whole schema; {@code reachable} says whether this node is the root or reached through properties only. */
    private static void scan(JsonNode node, boolean reachable, List<String> path, List<Param> found) throws Invalid {
        if (node == null || !node.isObject()) {
            if (node != null && node.isArray()) {
                for (JsonNode item : node) {
                    scan(item, false, path, found);
                }
            }
            return;
        }
        JsonNode annotation = node.get("x-mcp-header");
        if (annotation != null) {
            if (!reachable || path.isEmpty()) {
                throw new Invalid("an x-mcp-header is not reachable from the schema root through \"properties\" alone");
            }
            found.add(new Param(checkName(annotation), path));
            checkType(node.path("type"), annotation.asString(""));
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (entry.getKey().equals("x-mcp-header")) {
                continue;
            }
            if (entry.getKey().equals("properties") && entry.getValue().isObject()) {
                for (Map.Entry<String, JsonNode> property : entry.getValue().properties()) {
                    List<String> next = new ArrayList<>(path);
                    next.add(property.getKey());
                    scan(property.getValue(), reachable, next, found);
                }
            } else {
                scan(entry.getValue(), false, path, found);
            }
        }
    }

    private static String checkName(JsonNode annotation) throws Invalid {
        String name = annotation.isString() ? annotation.asString() : "";
        if (name.isEmpty()) {
            throw new Invalid("an x-mcp-header is empty or not a string");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean tchar = c < 0x80 && (Character.isLetterOrDigit(c) || TCHAR_SYMBOLS.indexOf(c) >= 0);
            if (!tchar) {
                throw new Invalid("x-mcp-header \"" + name + "\" is not an HTTP token (RFC 9110 tchar)");
            }
        }
        return name;
    }

    private static void checkType(JsonNode type, String name) throws Invalid {
        if (!type.isString() || !PRIMITIVE.contains(type.asString())) {
            throw new Invalid("x-mcp-header \"" + name + "\" is on a parameter of type " + type
                    + " (only string, integer and boolean may be mirrored)");
        }
    }
}
