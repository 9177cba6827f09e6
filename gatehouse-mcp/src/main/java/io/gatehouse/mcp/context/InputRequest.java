package io.gatehouse.mcp.context;

import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One thing a handler asks the client for while it serves a request: input from the user
 * ({@code elicitation/create}), a completion from the client's model ({@code sampling/createMessage}) or the
 * client's roots ({@code roots/list}). Handlers ask through {@link RequestContext#ask}; the params are those of the
 * MCP request of that method. Immutable: the params are copied in and out.
 *
 * <pre>{@code
 * ObjectNode schema = ...;   // {"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}
 * Map<String, JsonNode> answers = ctx.ask(Map.of(
 *         "user_name", InputRequest.elicit("What is your name?", schema),
 *         "client_roots", InputRequest.listRoots()));
 * String name = answers.get("user_name").path("content").path("name").asString("");
 * }</pre>
 */
public final class InputRequest {

    private final String method;
    private final String capability;
    private final ObjectNode params;

    private InputRequest(String method, String capability, ObjectNode params) {
        this.method = method;
        this.capability = capability;
        this.params = Objects.requireNonNull(params, "params").deepCopy();
    }

    /** Asks the user through the client ({@code elicitation/create}); {@code params} holds at least {@code message}. */
    public static InputRequest elicit(ObjectNode params) {
        return new InputRequest("elicitation/create", "elicitation", params);
    }

    /** Asks the user to fill in a form: {@code message} and the {@code requestedSchema} of the answer's {@code content}. */
    public static InputRequest elicit(String message, ObjectNode requestedSchema) {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.put("message", Objects.requireNonNull(message, "message"));
        params.set("requestedSchema", Objects.requireNonNull(requestedSchema, "requestedSchema"));
        return elicit(params);
    }

    /** Asks the client's model for a completion ({@code sampling/createMessage}): {@code messages}, {@code maxTokens}, ... */
    public static InputRequest createMessage(ObjectNode params) {
        return new InputRequest("sampling/createMessage", "sampling", params);
    }

    /** Asks the client for its roots ({@code roots/list}). */
    public static InputRequest listRoots() {
        return new InputRequest("roots/list", "roots", JsonNodeFactory.instance.objectNode());
    }

    /** The MCP method the client runs: {@code elicitation/create}, {@code sampling/createMessage} or {@code roots/list}. */
    public String method() {
        return method;
    }

    /**
     * The client capability this request needs at the least ({@code elicitation}, {@code sampling}, {@code roots});
     * URL-mode elicitation needs {@code elicitation.url} and sampling with {@code tools} needs {@code sampling.tools}.
     */
    public String capability() {
        return capability;
    }

    /** A copy of the request's params. */
    public ObjectNode params() {
        return params.deepCopy();
    }

    /**
     * The part of the client's capabilities this request needs that {@code clientCapabilities} lacks, as a
     * {@code ClientCapabilities} object (e.g. {@code {"sampling": {}}}); empty object when nothing is missing.
     */
    public ObjectNode missingCapabilities(JsonNode clientCapabilities) {
        ObjectNode missing = JsonNodeFactory.instance.objectNode();
        JsonNode declared = clientCapabilities == null ? null : clientCapabilities.get(capability);
        if (declared == null || !declared.isObject()) {
            missing.putObject(capability);
        }
        String sub = switch (method) {
            case "elicitation/create" -> "url".equals(params.path("mode").asString("")) ? "url" : null;
            case "sampling/createMessage" -> params.has("tools") ? "tools" : null;
            default -> null;
        };
        if (sub != null && (declared == null || !declared.path(sub).isObject())) {
            missing.putObject(capability).putObject(sub);
        }
        return missing;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputRequest other && method.equals(other.method) && params.equals(other.params);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, params);
    }

    @Override
    public String toString() {
        return "InputRequest[" + method + "]";
    }
}
