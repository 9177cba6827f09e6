package io.gatehouse.mcp.internal.server;

import io.gatehouse.mcp.context.Caller;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * The hook through which authorization reaches the MCP core without the core knowing OAuth: the transport asks
 * {@link McpServer#authorize} before dispatching a request, which looks up what the addressed tool, prompt,
 * resource or template declares and hands it to {@link #check}; the list methods show only what {@link #canSee}
 * allows (RS-19). Tools, prompts and resources contain no authorization code themselves.
 */
public interface AccessPolicy {

    /** What a request lacks: every scope the operation needs (RS-12), or a role no scope can give. */
    record Denial(Set<String> requiredScopes, String description) {
        public Denial {
            requiredScopes = Set.copyOf(requiredScopes);
        }
    }

    /**
     * What a tool, prompt, resource or template declares it needs: all of {@code scopes} and one of {@code roles}
     * (either may be empty). {@link #NONE} when it declares nothing, or when the request addresses nothing known.
     * {@code template} is the URI template of the resource template a resource URI matched ("" otherwise), so a
     * configured rule for that template applies to reading its URIs too.
     */
    record Requirement(Set<String> scopes, Set<String> roles, String template) {
        public static final Requirement NONE = new Requirement(Set.of(), Set.of());

        public Requirement {
            scopes = Set.copyOf(scopes);
            roles = Set.copyOf(roles);
            template = java.util.Objects.requireNonNull(template);
        }

        public Requirement(Set<String> scopes, Set<String> roles) {
            this(scopes, roles, "");
        }

        public boolean isEmpty() {
            return scopes.isEmpty() && roles.isEmpty();
        }
    }

    /** The kinds of things a list shows. */
    enum Feature { TOOL, PROMPT, RESOURCE, RESOURCE_TEMPLATE }

    /**
     * Empty when {@code caller} may make this request, else what it lacks.
     *
     * @param declared what the item the request addresses declares ({@link Requirement#NONE} for none)
     */
    Optional<Denial> check(Caller caller, String method, ObjectNode params, Requirement declared);

    /**
     * Whether a list shows this item to {@code caller}.
     *
     * @param name     the tool or prompt name, the resource URI, or the URI template
     * @param declared what the item declares
     */
    boolean canSee(Caller caller, Feature feature, String name, Requirement declared);

    /** Everything allowed: the policy when authentication is off. */
    AccessPolicy OPEN = new AccessPolicy() {
        @Override
        public Optional<Denial> check(Caller caller, String method, ObjectNode params, Requirement declared) {
            return Optional.empty();
        }

        @Override
        public boolean canSee(Caller caller, Feature feature, String name, Requirement declared) {
            return true;
        }
    };
}
