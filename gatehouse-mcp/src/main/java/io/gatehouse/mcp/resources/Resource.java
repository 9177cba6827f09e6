package io.gatehouse.mcp.resources;

import io.gatehouse.mcp.json.Json;
import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/** A resource with a fixed URI, as {@code resources/list} shows it, and its reader. */
public final class Resource {

    private final String uri;
    private final ObjectNode descriptor;
    private final ResourceReader reader;

    private Resource(Builder b, ResourceReader reader) {
        this.uri = b.uri;
        this.reader = reader;
        ObjectNode d = Json.object();
        d.put("uri", b.uri);
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

    public static Builder builder(String uri) {
        return new Builder(uri);
    }

    public String uri() {
        return uri;
    }

    public ObjectNode descriptor() {
        return descriptor;
    }

    ResourceReader reader() {
        return reader;
    }

    public static final class Builder {
        private final String uri;
        private String name;
        private String title;
        private String description = "";
        private String mimeType;

        private Builder(String uri) {
            this.uri = Objects.requireNonNull(uri);
            this.name = uri;
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

        public Resource reader(ResourceReader reader) {
            return new Resource(this, Objects.requireNonNull(reader));
        }
    }
}
