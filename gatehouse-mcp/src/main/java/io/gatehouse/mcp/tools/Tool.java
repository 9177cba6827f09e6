package io.gatehouse.mcp.tools;

import io.gatehouse.mcp.json.Json;
import io.gatehouse.mcp.schema.JsonSchema;
import io.gatehouse.mcp.context.RequestContext;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.node.ObjectNode;

/**
 * A registered tool: what {@code tools/list} shows and the handler {@code tools/call} runs.
 *
 * <pre>{@code
 * Tool echo = Tool.builder("echo")
 *         .description("Echo a message")
 *         .handler(EchoArguments.class, (args, ctx) -> ToolResult.text(args.message()));
 * }</pre>
 */
public final class Tool {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private final String name;
    private final ObjectNode descriptor;
    private final JsonSchema inputSchema;
    private final Optional<JsonSchema> outputSchema;
    private final Set<String> requiredScopes;
    private final Set<String> requiredRoles;
    private final Invoker invoker;

    /** Runs the handler on arguments that passed the input schema. */
    interface Invoker {
        ToolResult invoke(ObjectNode arguments, RequestContext context) throws Exception;
    }

    private Tool(Builder b, JsonSchema inputSchema, Invoker invoker) {
        this.name = b.name;
        this.inputSchema = inputSchema;
        this.outputSchema = Optional.ofNullable(b.outputSchema).map(JsonSchema::compile);
        this.requiredScopes = Set.copyOf(b.requiredScopes);
        this.requiredRoles = Set.copyOf(b.requiredRoles);
        this.invoker = invoker;
        ObjectNode d = Json.object();
        d.put("name", name);
        if (b.title != null) {
            d.put("title", b.title);
        }
        d.put("description", b.description);
        d.set("inputSchema", inputSchema.source());
        outputSchema.ifPresent(s -> d.set("outputSchema", s.source()));
        if (b.annotations != null) {
            d.set("annotations", Json.MAPPER.valueToTree(b.annotations));
        }
        this.descriptor = d;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    /** The tool as {@code tools/list} shows it. */
    public ObjectNode descriptor() {
        return descriptor;
    }

    /** Scopes this tool needs beyond a valid token; the access policy enforces them, never the tool. */
    public Set<String> requiredScopes() {
        return requiredScopes;
    }

    /** Roles of which the caller needs one; the access policy enforces them, never the tool. */
    public Set<String> requiredRoles() {
        return requiredRoles;
    }

    JsonSchema inputSchema() {
        return inputSchema;
    }

    Optional<JsonSchema> outputSchema() {
        return outputSchema;
    }

    Invoker invoker() {
        return invoker;
    }

    public static final class Builder {
        private final String name;
        private String title;
        private String description = "";
        private ObjectNode inputSchema;
        private ObjectNode outputSchema;
        private ToolAnnotations annotations;
        private Set<String> requiredScopes = Set.of();
        private Set<String> requiredRoles = Set.of();

        private Builder(String name) {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("tool name must be 1-128 characters of [A-Za-z0-9_.-]: " + name);
            }
            this.name = name;
        }

        public Builder title(String title) {
            this.title = title;
            return this;
        }

        public Builder description(String description) {
            this.description = Objects.requireNonNull(description);
            return this;
        }

        /** The input schema as JSON Schema text; overrides one derived from an argument record. */
        public Builder inputSchema(String json) {
            this.inputSchema = (ObjectNode) Json.MAPPER.readTree(json);
            return this;
        }

        public Builder outputSchema(String json) {
            this.outputSchema = (ObjectNode) Json.MAPPER.readTree(json);
            return this;
        }

        /** Derives the output schema from a record; the handler then returns it as {@code structuredContent}. */
        public Builder outputSchema(Class<? extends Record> type) {
            this.outputSchema = RecordSchema.of(type);
            return this;
        }

        public Builder annotations(ToolAnnotations annotations) {
            this.annotations = annotations;
            return this;
        }

        /** Declares the scopes calling this tool needs (e.g. {@code mcp:tools:deploy}); see {@code AccessPolicy}. */
        public Builder requiredScopes(String... scopes) {
            this.requiredScopes = Set.of(scopes);
            return this;
        }

        /** Declares that the caller needs one of these roles (e.g. an admin-only tool). */
        public Builder requiredRoles(String... roles) {
            this.requiredRoles = Set.of(roles);
            return this;
        }

        /** Finishes a tool whose arguments arrive as a record; the input schema is derived from it if not set. */
        public <A extends Record> Tool handler(Class<A> argumentType, ToolHandler<A> handler) {
            ObjectNode schema = inputSchema != null ? inputSchema : RecordSchema.of(argumentType);
            ObjectReader reader = Json.MAPPER.readerFor(argumentType);
            return new Tool(this, JsonSchema.compile(schema),
                    (arguments, context) -> handler.call(reader.readValue(arguments), context));
        }

        /** Finishes a tool whose arguments arrive as the raw JSON object. */
        public Tool handler(ToolHandler<ObjectNode> handler) {
            ObjectNode schema = inputSchema != null ? inputSchema : noArguments();
            return new Tool(this, JsonSchema.compile(schema), handler::call);
        }

        private static ObjectNode noArguments() {
            ObjectNode schema = Json.object();
            schema.put("type", "object");
            schema.put("additionalProperties", false);
            return schema;
        }
    }

    /** Fills in the schema's top-level defaults for arguments the caller left out. */
    static ObjectNode withDefaults(ObjectNode arguments, ObjectNode schema) {
        JsonNode properties = schema.path("properties");
        ObjectNode filled = null;
        for (var entry : properties.properties()) {
            JsonNode def = entry.getValue().get("default");
            if (def != null && !arguments.has(entry.getKey())) {
                if (filled == null) {
                    filled = arguments.deepCopy();
                }
                filled.set(entry.getKey(), def);
            }
        }
        return filled == null ? arguments : filled;
    }
}
