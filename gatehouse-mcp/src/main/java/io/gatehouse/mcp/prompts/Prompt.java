package io.gatehouse.mcp.prompts;

import io.gatehouse.mcp.completion.Completer;
import io.gatehouse.mcp.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** A registered prompt template: what {@code prompts/list} shows and what {@code prompts/get} runs. */
public final class Prompt {

    /** A declared argument, optionally with a completer for {@code completion/complete}. */
    public record Argument(String name, String description, boolean required, Optional<Completer> completer) {
    }

    private final String name;
    private final Map<String, Argument> arguments;
    private final PromptHandler handler;
    private final ObjectNode descriptor;

    private Prompt(Builder b, PromptHandler handler) {
        this.name = b.name;
        this.arguments = new LinkedHashMap<>();
        b.arguments.forEach(a -> arguments.put(a.name(), a));
        this.handler = handler;
        ObjectNode d = Json.object();
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

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    public ObjectNode descriptor() {
        return descriptor;
    }

    Map<String, Argument> arguments() {
        return arguments;
    }

    PromptHandler handler() {
        return handler;
    }

    public boolean hasCompleters() {
        return arguments.values().stream().anyMatch(a -> a.completer().isPresent());
    }

    public Optional<Completer> completer(String argument) {
        return Optional.ofNullable(arguments.get(argument)).flatMap(Argument::completer);
    }

    public static final class Builder {
        private final String name;
        private String title;
        private String description = "";
        private final List<Argument> arguments = new ArrayList<>();

        private Builder(String name) {
            this.name = Objects.requireNonNull(name);
        }

        public Builder title(String title) {
            this.title = title;
            return this;
        }

        public Builder description(String description) {
            this.description = Objects.requireNonNull(description);
            return this;
        }

        public Builder argument(String name, String description, boolean required) {
            arguments.add(new Argument(name, description, required, Optional.empty()));
            return this;
        }

        public Builder argument(String name, String description, boolean required, Completer completer) {
            arguments.add(new Argument(name, description, required, Optional.of(completer)));
            return this;
        }

        public Prompt handler(PromptHandler handler) {
            return new Prompt(this, Objects.requireNonNull(handler));
        }
    }
}
