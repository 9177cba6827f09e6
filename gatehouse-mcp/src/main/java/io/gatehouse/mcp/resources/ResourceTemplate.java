package io.gatehouse.mcp.resources;

import io.gatehouse.mcp.completion.Completer;
import io.gatehouse.mcp.json.Json;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/** A family of resources named by an RFC 6570 URI template, as {@code resources/templates/list} shows it. */
public final class ResourceTemplate {

    private final UriTemplate uriTemplate;
    private final ObjectNode descriptor;
    private final ResourceReader reader;
    private final Map<String, Completer> completers;

    private ResourceTemplate(Builder b, ResourceReader reader) {
        this.uriTemplate = b.uriTemplate;
        this.reader = reader;
        this.completers = Map.copyOf(b.completers);
        ObjectNode d = Json.object();
        d.put("uriTemplate", uriTemplate.template());
        d.put("name", b.name);
        if (b.title != null) {
            d.put("title", b.title);
        }
        d.put("description", b.description);
        if (b.mimeType != null) {
            d.put("mimeType", b.mimeType);
        }
        this.descriptor = d;
    }

    public static Builder builder(String uriTemplate) {
        return new Builder(uriTemplate);
    }

    public String uriTemplate() {
        return uriTemplate.template();
    }

    public ObjectNode descriptor() {
        return descriptor;
    }

    Optional<Map<String, String>> match(String uri) {
        return uriTemplate.match(uri);
    }

    ResourceReader reader() {
        return reader;
    }

    public boolean hasCompleters() {
        return !completers.isEmpty();
    }

    public Optional<Completer> completer(String variable) {
        return Optional.ofNullable(completers.get(variable));
    }

    public static final class Builder {
        private final UriTemplate uriTemplate;
        private String name;
        private String title;
        private String description = "";
        private String mimeType;
        private final Map<String, Completer> completers = new HashMap<>();

        private Builder(String template) {
            this.uriTemplate = new UriTemplate(Objects.requireNonNull(template));
            this.name = template;
        }

        public Builder name(String name) {
            this.name = Objects.requireNonNull(name);
            return this;
        }

        public Builder title(String title) {
            this.title = title;
            return this;
        }

        public Builder description(String description) {
            this.description = Objects.requireNonNull(description);
            return this;
        }

        public Builder mimeType(String mimeType) {
            this.mimeType = mimeType;
            return this;
        }

        public Builder completer(String variable, Completer completer) {
            if (!uriTemplate.variableNames().contains(variable)) {
                throw new IllegalArgumentException("the template has no variable " + variable);
            }
            completers.put(variable, completer);
            return this;
        }

        public ResourceTemplate reader(ResourceReader reader) {
            return new ResourceTemplate(this, Objects.requireNonNull(reader));
        }
    }
}
