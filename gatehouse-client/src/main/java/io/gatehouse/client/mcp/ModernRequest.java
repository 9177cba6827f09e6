package io.gatehouse.client.mcp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The shape of a 2026-07-28 request (MCP 2026-07-28, basic/index.mdx "_meta", transports/streamable-http.mdx
 * "Request Metadata"): the protocol version, client info and client capabilities in {@code params._meta}, and the
 * {@code MCP-Protocol-Version}, {@code Mcp-Method} and (for {@code tools/call}, {@code prompts/get},
 * {@code resources/read}) {@code Mcp-Name} headers mirroring the body.
 */
final class ModernRequest {

    private ModernRequest() {
    }

    static Map<String, String> headers(String method, JsonNode params, String version) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("MCP-Protocol-Version", version);
        headers.put("Mcp-Method", method);
        name(method, params).ifPresent(name -> headers.put("Mcp-Name", HeaderValue.encode(name)));
        return headers;
    }

    /** A copy of {@code params} whose {@code _meta} carries the per-request fields (other {@code _meta} keys are kept). */
    static ObjectNode withMeta(ObjectNode params, String version, JsonNode clientInfo, JsonNode capabilities) {
        ObjectNode copy = params.deepCopy();
        ObjectNode meta = copy.get("_meta") instanceof ObjectNode existing ? existing : copy.putObject("_meta");
        meta.put("io.modelcontextprotocol/protocolVersion", version);
        meta.set("io.modelcontextprotocol/clientInfo", clientInfo);
        meta.set("io.modelcontextprotocol/clientCapabilities", capabilities);
        return copy;
    }

    private static Optional<String> name(String method, JsonNode params) {
        String field = switch (method) {
            case "tools/call", "prompts/get" -> "name";
            case "resources/read" -> "uri";
            default -> null;
        };
        return field == null || !params.path(field).isString() ? Optional.empty() : Optional.of(params.path(field).asString());
    }
}
