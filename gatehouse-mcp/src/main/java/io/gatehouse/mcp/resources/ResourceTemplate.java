package io.gatehouse.mcp.resources;

import io.gatehouse.mcp.completion.Completer;
import tools.jackson.databind.node.JsonNodeFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * A family of resources named by an RFC 6570 level-1 URI template ({@code file:///notes/{name}}): what
 * {@code resources/templates/list} shows, what reading one of its resources requires, and the reader
 * {@code resources/read} runs for a URI that matches. Immutable; build one with {@link #builder(String)} and
 * register it with the server.
 *
 * <p>Authorization is declared here, never coded in the reader: {@link Builder#requiredScopes} and
 * {@link Builder#requiredRoles} apply to every URI the template matches, and a caller without them does not see
 * the template in {@code resources/templates/list}; the config file's {@code access:} section may override them
 * (keyed by the concrete URI, or by the template for the list).
 *
 * <pre>{@code
 * ResourceTemplate notes = ResourceTemplate.builder("file:///notes/{name}")
 *         .mimeType("text/plain")
 *         .requiredScopes("mcp:read:notes")
 *         .completer("name", Completer.of(List.of("todo", "ideas")))
 *         .reader((uri, variables, ctx) -> List.of(ResourceContents.text(uri, "text/plain", load(variables.get("name")))));
 * }</pre>
 */
public final class ResourceTemplate {

    private final UriTemplate uriTemplate;
    private final ObjectNode descriptor;
    private final ResourceReader reader;
    private final Map<String, Completer> completers;
    private final Set<String> requiredScopes;
    private final Set<String> requiredRoles;

    private ResourceTemplate(Builder b, ResourceReader reader) {
        this.uriTemplate = b.uriTemplate;
        this.reader = reader;
        this.requiredScopes = b.requiredScopes;
        this.requiredRoles = b.requiredRoles;
        this.completers = Map.copyOf(b.completers);
        ObjectNode d = JsonNodeFactory.instance.objectNode();
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

    /** Starts a template; each {@code {name}} matches one or more characters other than {@code /}, {@code ?}, {@code #}. */
    public static Builder builder(String uriTemplate) {
        return new Builder(uriTemplate);
    }

    /** The template text, e.g. {@code file:///notes/{name}}. */
    public String uriTemplate() {
        return uriTemplate.template();
    }

    /** The template as {@code resources/templates/list} shows it (a copy: changing it changes nothing). */
    public ObjectNode descriptor() {
        return descriptor.deepCopy();
    }

    /** The variables {@code uri} gives the template's names, by name; empty when it does not match. */
    public Optional<Map<String, String>> match(String uri) {
        return uriTemplate.match(uri);
    }

    /** The code that reads a matching resource. */
    public ResourceReader reader() {
        return reader;
    }

    /** Scopes reading a matching resource needs beyond a valid token; the access policy enforces them. */
    public Set<String> requiredScopes() {
        return requiredScopes;
    }

    /** Roles of which the caller needs one; the access policy enforces them, never the reader. */
    public Set<String> requiredRoles() {
        return requiredRoles;
    }

    /** Whether any variable has a completer (the server then offers {@code completion/complete}). */
    public boolean hasCompleters() {
        return !completers.isEmpty();
    }

    /** The completer of one variable, if it has one. */
    public Optional<Completer> completer(String variable) {
        return Optional.ofNullable(completers.get(variable));
    }

    /** Collects a template's description, completers, requirements and, last, its reader. */
    public static final class Builder {
        private final UriTemplate uriTemplate;
        private String name;
        private String title;
        private String description = "";
        private String mimeType;
        private final Map<String, Completer> completers = new HashMap<>();
        private Set<String> requiredScopes = Set.of();
        private Set<String> requiredRoles = Set.of();

        private Builder(String template) {
            this.uriTemplate = new UriTemplate(Objects.requireNonNull(template));
            this.name = template;
        }

        /** A short name for lists (defaults to the template). */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name);
            return this;
        }

        /** A human-readable title for clients to display. */
        public Builder title(String title) {
            this.title = title;
            return this;
        }

        /** What the resources of this family hold. */
        public Builder description(String description) {
            this.description = Objects.requireNonNull(description);
            return this;
        }

        /** The MIME type of their contents, e.g. {@code text/plain}. */
        public Builder mimeType(String mimeType) {
            this.mimeType = mimeType;
            return this;
        }

        /**
         * Declares the scopes reading a matching resource needs, all of them; without any, reading needs the default
         * {@code mcp:read}. A parent scope satisfies its children.
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

        /** Suggests values for one of the template's variables ({@code completion/complete}). */
        public Builder completer(String variable, Completer completer) {
            if (!uriTemplate.variableNames().contains(variable)) {
                throw new IllegalArgumentException("the template has no variable " + variable);
            }
            completers.put(variable, completer);
            return this;
        }

        /** Finishes the template with the code that reads a matching resource. */
        public ResourceTemplate reader(ResourceReader reader) {
            return new ResourceTemplate(this, Objects.requireNonNull(reader));
        }
    }
}
