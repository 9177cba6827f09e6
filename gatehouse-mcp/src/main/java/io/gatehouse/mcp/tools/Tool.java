package io.gatehouse.mcp.tools;

import io.gatehouse.mcp.context.RequestContext;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.node.ObjectNode;

/**
 * A tool a server offers: what {@code tools/list} shows (name, description, input and output schema,
 * annotations), what calling it requires, and the handler {@code tools/call} runs. Immutable; build one with
 * {@link #builder(String)} and register it with the server.
 *
 * <p>Authorization is declared here, never coded in the handler: {@link Builder#requiredScopes} and
 * {@link Builder#requiredRoles} are enforced before the handler runs (a caller without them gets HTTP 403
 * {@code insufficient_scope} and does not see the tool in {@code tools/list}); the config file's {@code access:}
 * section may override them.
 *
 * <pre>{@code
 * record WordCountArgs(@Param(description = "The text to count") String text) {}
 *
 * Tool wordCount = Tool.builder("word_count")
 *         .description("Count the words of a text")
 *         .requiredScopes("mcp:words")
 *         .handler(WordCountArgs.class, (args, ctx) ->
 *                 ToolResult.text(ctx.caller().username() + ": " + args.text().split("\\s+").length));
 * }</pre>
 */
public final class Tool {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private final String name;
    private final ObjectNode descriptor;
    private final ObjectNode inputSchema;
    private final Optional<ObjectNode> outputSchema;
    private final Set<String> requiredScopes;
    private final Set<String> requiredRoles;
    private final Invoker invoker;

    /** Runs the handler on arguments that passed the input schema. */
    interface Invoker {
        ToolResult invoke(ObjectNode arguments, RequestContext context) throws Exception;
    }

    private Tool(Builder b, ObjectNode inputSchema, Invoker invoker) {
        this.name = b.name;
        this.inputSchema = inputSchema.deepCopy();
        this.outputSchema = Optional.ofNullable(b.outputSchema).map(ObjectNode::deepCopy);
        this.requiredScopes = Set.copyOf(b.requiredScopes);
        this.requiredRoles = Set.copyOf(b.requiredRoles);
        this.invoker = invoker;
        ObjectNode d = ToolJson.MAPPER.createObjectNode();
        d.put("name", name);
        if (b.title != null) {
            d.put("title", b.title);
        }
        d.put("description", b.description);
        d.set("inputSchema", this.inputSchema);
        outputSchema.ifPresent(s -> d.set("outputSchema", s));
        if (b.annotations != null) {
            d.set("annotations", ToolJson.MAPPER.valueToTree(b.annotations));
        }
        this.descriptor = d;
    }

    /** Starts a tool named {@code name}: 1 to 128 characters of {@code [A-Za-z0-9_.-]}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The name clients call the tool by. */
    public String name() {
        return name;
    }

    /** The tool as {@code tools/list} shows it (a copy: changing it changes nothing). */
    public ObjectNode descriptor() {
        return descriptor.deepCopy();
    }

    /** Scopes this tool needs beyond a valid token; the access policy enforces them, never the tool. */
    public Set<String> requiredScopes() {
        return requiredScopes;
    }

    /** Roles of which the caller needs one; the access policy enforces them, never the tool. */
    public Set<String> requiredRoles() {
        return requiredRoles;
    }

    /**
     * The JSON Schema its arguments must satisfy, as declared or derived from the argument record. The server
     * compiles it when it is built, so a schema it cannot use fails there, at start-up.
     */
    public ObjectNode inputSchema() {
        return inputSchema.deepCopy();
    }

    /** The JSON Schema its {@code structuredContent} must satisfy, when it declares one. */
    public Optional<ObjectNode> outputSchema() {
        return outputSchema.map(ObjectNode::deepCopy);
    }

    /**
     * Runs the handler on arguments, exactly as {@code tools/call} does once they passed the input schema (and
     * its defaults were filled in): handy for a unit test of the tool. Exceptions from the handler pass through.
     */
    public ToolResult call(ObjectNode arguments, RequestContext context) throws Exception {
        return invoker.invoke(arguments, context);
    }

    /** Collects a tool's description, schemas, requirements and, last, its handler. */
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

        /** A human-readable title for clients to display. */
        public Builder title(String title) {
            this.title = title;
            return this;
        }

        /** What the tool does, for the model and the user. */
        public Builder description(String description) {
            this.description = Objects.requireNonNull(description);
            return this;
        }

        /** The input schema as JSON Schema text; overrides one derived from an argument record. */
        public Builder inputSchema(String json) {
            this.inputSchema = (ObjectNode) ToolJson.MAPPER.readTree(json);
            return this;
        }

        /** The output schema as JSON Schema text; the handler then returns conforming {@code structuredContent}. */
        public Builder outputSchema(String json) {
            this.outputSchema = (ObjectNode) ToolJson.MAPPER.readTree(json);
            return this;
        }

        /** Derives the output schema from a record; the handler then returns it as {@code structuredContent}. */
        public Builder outputSchema(Class<? extends Record> type) {
            this.outputSchema = RecordSchema.of(type);
            return this;
        }

        /** Hints about the tool's behaviour (read-only, destructive, ...). */
        public Builder annotations(ToolAnnotations annotations) {
            this.annotations = annotations;
            return this;
        }

        /**
         * Declares the scopes calling this tool needs, all of them (e.g. {@code mcp:tools:deploy}); without any,
         * {@code tools/call} needs the default {@code mcp:tools}. A parent scope satisfies its children.
         */
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
            ObjectReader reader = ToolJson.MAPPER.readerFor(argumentType);
            return new Tool(this, schema, (arguments, context) -> handler.call(reader.readValue(arguments), context));
        }

        /** Finishes a tool whose arguments arrive as the raw JSON object. */
        public Tool handler(ToolHandler<ObjectNode> handler) {
            ObjectNode schema = inputSchema != null ? inputSchema : noArguments();
            return new Tool(this, schema, handler::call);
        }

        private static ObjectNode noArguments() {
            ObjectNode schema = ToolJson.MAPPER.createObjectNode();
            schema.put("type", "object");
            schema.put("additionalProperties", false);
            return schema;
        }
    }
}
