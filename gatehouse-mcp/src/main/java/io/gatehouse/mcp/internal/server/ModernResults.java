package io.gatehouse.mcp.internal.server;

import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcError;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcErrorCodes;
import io.gatehouse.mcp.prompts.PromptResult;
import io.gatehouse.mcp.tools.ToolResult;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JacksonSerializable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.jsontype.TypeSerializer;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.util.NameTransformer;

/**
 * The one place that shapes what a 2026-07-28 request gets back, whatever the method and however it is delivered
 * (JSON or the last SSE event):
 * <ul>
 *   <li>every result carries {@code resultType} ({@code "complete"} unless the handler set one, e.g.
 *   {@code "input_required"}: B-2) and {@code _meta["io.modelcontextprotocol/serverInfo"]} (B-8);</li>
 *   <li>the complete results of {@code server/discover}, the lists and {@code resources/read} carry the caching hints
 *   {@code ttlMs} and {@code cacheScope}, {@code "private"} whenever the result depends on the caller (F-2);</li>
 *   <li>no error uses a code the revision removed: resource not found is {@code -32602} with {@code data.uri} (F-4, B-4).</li>
 * </ul>
 */
final class ModernResults {

    static final String SERVER_INFO = "io.modelcontextprotocol/serverInfo";
    /** How long discovery and list results may be reused: registrations are fixed while the server runs. */
    static final long LIST_TTL_MS = 60_000;
    /** Resource contents may change at any moment: a reader must ask again. */
    static final long READ_TTL_MS = 0;
    private static final Set<String> LISTS = Set.of("tools/list", "prompts/list", "resources/list",
            "resources/templates/list");

    private final JsonNode serverInfo;
    private final boolean policyFiltersByCaller;

    /**
     * @param serverInfo            the server's {@code name} and {@code version}
     * @param policyFiltersByCaller whether the access policy may show different callers different lists (it is not
     *                              {@link AccessPolicy#OPEN}): then no list is {@code public}
     */
    ModernResults(JsonNode serverInfo, boolean policyFiltersByCaller) {
        ObjectNode info = Json.object();
        info.set("name", serverInfo.get("name"));
        info.set("version", serverInfo.get("version"));
        this.serverInfo = info;
        this.policyFiltersByCaller = policyFiltersByCaller;
    }

    /** The result of {@code method} as a 2026-07-28 client receives it. */
    Object complete(String method, ObjectNode params, Object result, Caller caller) {
        if (result instanceof ToolResult || result instanceof PromptResult) {
            // neither has resultType, _meta or caching hints of its own: its properties and the additions are written
            // in one pass, not copied into a tree first (tools/call is the hot path)
            return new WithAdditions(result, serverInfo);
        }
        JsonNode tree = result == null ? Json.object() : result instanceof JsonNode node ? node : Json.MAPPER.valueToTree(result);
        ObjectNode shaped = tree instanceof ObjectNode o ? o : Json.object();
        if (!shaped.has("resultType")) {
            shaped.put("resultType", "complete");
        }
        JsonNode meta = shaped.get("_meta");
        ObjectNode metaObject = meta instanceof ObjectNode o ? o : shaped.putObject("_meta");
        metaObject.set(SERVER_INFO, serverInfo);
        if ("complete".equals(shaped.path("resultType").stringValue(null)) && isCacheable(method)) {
            hint(shaped, method, params, caller);
        }
        return shaped;
    }

    /** An engine error as a 2026-07-28 client receives it: no legacy resource-not-found code. */
    JsonRpcError error(JsonRpcError error) {
        if (error.code() == JsonRpcErrorCodes.RESOURCE_NOT_FOUND) {
            return new JsonRpcError(JsonRpcErrorCodes.INVALID_PARAMS, error.message(), error.data());
        }
        return error;
    }

    static boolean isCacheable(String method) {
        return LISTS.contains(method) || method.equals("server/discover") || method.equals("resources/read");
    }

    private void hint(ObjectNode result, String method, ObjectNode params, Caller caller) {
        if (params.has("inputResponses") || params.has("requestState")) {
            // the answer to a retry carrying client input is never reused (M-9)
            result.put("ttlMs", 0);
            result.put("cacheScope", "private");
            return;
        }
        boolean perCaller = switch (method) {
            case "server/discover" -> false; // the same for everyone: capabilities, versions, instructions
            case "resources/read" -> policyFiltersByCaller || !caller.isAnonymous();
            default -> policyFiltersByCaller; // one scope for every page of a list
        };
        result.put("ttlMs", method.equals("resources/read") ? READ_TTL_MS : LIST_TTL_MS);
        result.put("cacheScope", perCaller ? "private" : "public");
    }

    /**
     * A {@link ToolResult} or {@link PromptResult} followed by {@code resultType: "complete"} and the serverInfo
     * {@code _meta}, in one JSON object.
     */
    private record WithAdditions(Object result, JsonNode serverInfo) implements JacksonSerializable {

        /**
         * The unwrapping serializer of each result class (ToolResult, PromptResult), made once: {@code unwrappingSerializer}
         * builds a new one at every call. The engine writes with one mapper, whose serializers these derive from.
         */
        private static final Map<Class<?>, ValueSerializer<Object>> UNWRAPPING = new ConcurrentHashMap<>();

        @Override
        public void serialize(JsonGenerator gen, SerializationContext context) {
            ValueSerializer<Object> unwrapping = UNWRAPPING.computeIfAbsent(result.getClass(),
                    type -> context.findValueSerializer(type).unwrappingSerializer(NameTransformer.NOP));
            gen.writeStartObject();
            if (unwrapping.isUnwrappingSerializer()) {
                unwrapping.serialize(result, gen, context);
            } else { // not a plain bean (a custom serializer): its properties through a tree, then
                Json.MAPPER.<ObjectNode>valueToTree(result).properties().forEach(e -> {
                    gen.writeName(e.getKey());
                    context.writeValue(gen, e.getValue());
                });
            }
            gen.writeStringProperty("resultType", "complete");
            gen.writeName("_meta");
            gen.writeStartObject();
            gen.writeName(SERVER_INFO);
            context.writeValue(gen, serverInfo);
            gen.writeEndObject();
            gen.writeEndObject();
        }

        @Override
        public void serializeWithType(JsonGenerator gen, SerializationContext context, TypeSerializer typeSerializer) {
            serialize(gen, context);
        }
    }
}
