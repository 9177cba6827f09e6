package io.gatehouse.mcp.resources;

import tools.jackson.databind.node.JsonNodeFactory;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * A resource with a fixed URI that a server offers: what {@code resources/list} shows, what reading it requires,
 * and the reader {@code resources/read} runs. Immutable; build one with {@link #builder(String)} and register it
 * with the server. For a family of URIs, see {@link ResourceTemplate}.
 *
 * <p>Authorization is declared here, never coded in the reader: {@link Builder#requiredScopes} and
 * {@link Builder#requiredRoles} are enforced before the reader runs (for {@code resources/read},
 * {@code resources/subscribe} and {@code resources/unsubscribe}), and a caller without them does not see the
 * resource in {@code resources/list}; the config file's {@code access:} section may override them.
 *
 * <pre>{@code
 * Resource motd = Resource.builder("file:///motd.txt")
 *         .name("motd")
 *         .mimeType("text/plain")
 *         .requiredScopes("mcp:read:motd")
 *         .reader((uri, variables, ctx) -> List.of(ResourceContents.text(uri, "text/plain", "Welcome!")));
 * }</pre>
 */
public final class Resource {

    private final String uri;
    private final ObjectNode descriptor;
    private final ResourceReader reader;
    private final Set<String> requiredScopes;
    private final Set<String> requiredRoles;

    private Resource(Builder b, ResourceReader reader) {
        this.uri = b.uri;
        this.reader = reader;
        this.requiredScopes = b.requiredScopes;
        this.requiredRoles = b.requiredRoles;
        ObjectNode d = JsonNodeFactory.instance.objectNode();
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

    /** Starts a resource with this URI (its name defaults to the URI). */
    public static Builder builder(String uri) {
        return new Builder(uri);
    }

    /** The URI clients read the resource by. */
    public String uri() {
        return uri;
    }

    /** The resource as {@code resources/list} shows it (a copy: changing it changes nothing). */
    public ObjectNode descriptor() {
        return descriptor.deepCopy();
    }

    /** The code that reads the resource. */
    public ResourceReader reader() {
        return reader;
    }

    /** Scopes reading this resource needs beyond a valid token; the access policy enforces them, never the reader. */
    public Set<String> requiredScopes() {
        return requiredScopes;
    }

    /** Roles of which the caller needs one; the access policy enforces them, never the reader. */
    public Set<String> requiredRoles() {
        return requiredRoles;
    }

    /** Collects a resource's description, requirements and, last, its reader. */
    public static final class Builder {
        private final String uri;
        private String name;
        private String title;
        private String description = "";
        private String mimeType;
        private Set<String> requiredScopes = Set.of();
        private Set<String> requiredRoles = Set.of();

        private Builder(String uri) {
            this.uri = Objects.requireNonNull(uri);
            this.name = uri;
        }

        /** A short name for lists. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name);
            return this;
        }

        /** A human-readable title for clients to display. */
        public Builder title(String title) {
            this.title = title;
            return this;
        }

        /** What the resource holds. */
        public Builder description(String description) {
            this.description = Objects.requireNonNull(description);
            return this;
        }

        /** The MIME type of its contents, e.g. {@code text/plain}. */
        public Builder mimeType(String mimeType) {
            this.mimeType = mimeType;
            return this;
        }

        /**
         * Declares the scopes reading this resource needs, all of them (e.g. {@code mcp:read:motd}); without any,
         * reading needs the default {@code mcp:read}. A parent scope satisfies its children.
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

        /** Finishes the resource with the code that reads it. */
        public Resource reader(ResourceReader reader) {
            return new Resource(this, Objects.requireNonNull(reader));
        }
    }
}
