package io.gatehouse.mcp.prompts;

import io.gatehouse.mcp.completion.Completer;
import tools.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A prompt template a server offers: what {@code prompts/list} shows, what getting it requires, and the handler
 * {@code prompts/get} runs. Immutable; build one with {@link #builder(String)} and register it with the server.
 *
 * <p>Authorization is declared here, never coded in the handler: {@link Builder#requiredScopes} and
 * {@link Builder#requiredRoles} are enforced before the handler runs, and a caller without them does not see the
 * prompt in {@code prompts/list}; the config file's {@code access:} section may override them.
 *
 * <pre>{@code
 * Prompt review = Prompt.builder("review")
 *         .description("Ask for a code review")
 *         .argument("language", "The programming language", true, Completer.of(List.of("java", "kotlin")))
 *         .requiredScopes("mcp:prompts:review")
 *         .handler((args, ctx) -> PromptResult.of("Code review",
 *                 PromptMessage.user("Review this " + args.get("language") + " code for " + ctx.caller().username())));
 * }</pre>
 */
public final class Prompt {

    /**
     * A declared argument, optionally with a completer for {@code completion/complete}.
     *
     * @param name        the argument's name
     * @param description what it means, for the user
     * @param required    whether {@code prompts/get} must give it
     * @param completer   suggests values, when present
     */
    public record Argument(String name, String description, boolean required, Optional<Completer> completer) {
    }

    private final String name;
    private final Map<String, Argument> arguments;
    private final PromptHandler handler;
    private final ObjectNode descriptor;
    private final Set<String> requiredScopes;
    private final Set<String> requiredRoles;

    private Prompt(Builder b, PromptHandler handler) {
        this.name = b.name;
        this.arguments = new LinkedHashMap<>();
        b.arguments.forEach(a -> arguments.put(a.name(), a));
        this.handler = handler;
        this.requiredScopes = b.requiredScopes;
        this.requiredRoles = b.requiredRoles;
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("name", name);
        if (b.title != null) {
            d.put("title", b.title);
        }
        d.put("description", b.description);
        if (!b.arguments.isEmpty()) {
            ArrayNode args = d.putArray("arguments");
            for (Argument a : b.arguments) {
                ObjectNode arg = args.addObject();
                arg.put("name", a.name());
                arg.put("description", a.description());
                arg.put("required", a.required());
            }
        }
        this.descriptor = d;
    }

    /** Starts a prompt named {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The name clients get the prompt by. */
    public String name() {
        return name;
    }

    /** The prompt as {@code prompts/list} shows it (a copy: changing it changes nothing). */
    public ObjectNode descriptor() {
        return descriptor.deepCopy();
    }

    /** The declared arguments by name, in declaration order. */
    public Map<String, Argument> arguments() {
        return Collections.unmodifiableMap(arguments);
    }

    /** The code that builds the prompt. */
    public PromptHandler handler() {
        return handler;
    }

    /** Scopes getting this prompt needs beyond a valid token; the access policy enforces them, never the handler. */
    public Set<String> requiredScopes() {
        return requiredScopes;
    }

    /** Roles of which the caller needs one; the access policy enforces them, never the handler. */
    public Set<String> requiredRoles() {
        return requiredRoles;
    }

    /** Whether any argument has a completer (the server then offers {@code completion/complete}). */
    public boolean hasCompleters() {
        return arguments.values().stream().anyMatch(a -> a.completer().isPresent());
    }

    /** The completer of one argument, if it has one. */
    public Optional<Completer> completer(String argument) {
        return Optional.ofNullable(arguments.get(argument)).flatMap(Argument::completer);
    }

    /** Collects a prompt's description, arguments, requirements and, last, its handler. */
    public static final class Builder {
        private final String name;
        private String title;
        private String description = "";
        private final List<Argument> arguments = new ArrayList<>();
        private Set<String> requiredScopes = Set.of();
        private Set<String> requiredRoles = Set.of();

        private Builder(String name) {
            this.name = Objects.requireNonNull(name);
        }

        /** A human-readable title for clients to display. */
        public Builder title(String title) {
            this.title = title;
            return this;
        }

        /** What the prompt is for. */
        public Builder description(String description) {
            this.description = Objects.requireNonNull(description);
            return this;
        }

        /** Declares an argument; its value reaches the handler as a string. */
        public Builder argument(String name, String description, boolean required) {
            arguments.add(new Argument(name, description, required, Optional.empty()));
            return this;
        }

        /** Declares an argument whose values {@code completer} suggests ({@code completion/complete}). */
        public Builder argument(String name, String description, boolean required, Completer completer) {
            arguments.add(new Argument(name, description, required, Optional.of(completer)));
            return this;
        }

        /**
         * Declares the scopes getting this prompt needs, all of them (e.g. {@code mcp:prompts:review}); without any,
         * {@code prompts/get} needs the default {@code mcp:prompts}. A parent scope satisfies its children.
         */
        public Builder requiredScopes(String... scopes) {
            this.requiredScopes = Set.of(scopes);
            return this;
        }

        /** Declares that the caller needs one of these roles. */
        public Builder requiredRoles(String... roles) {
            this.requiredRoles = Set.of(roles);
            return this;
        }

        /** Finishes the prompt with the code that builds it. */
        public Prompt handler(PromptHandler handler) {
            return new Prompt(this, Objects.requireNonNull(handler));
        }
    }
}
