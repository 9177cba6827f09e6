package io.gatehouse.mcp.server;

import io.gatehouse.mcp.context.Caller;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * The hook through which authorization reaches the MCP core without the core knowing OAuth: the transport asks
 * {@link #check} before dispatching a request, and the list methods show only what {@link #canSee} allows
 * (RS-19). Tools, prompts and resources contain no authorization code themselves.
 */
public interface AccessPolicy {

    /** What a request lacks: every scope the operation needs (RS-12), or a role no scope can give. */
    record Denial(Set<String> requiredScopes, String description) {
        public Denial {
            requiredScopes = Set.copyOf(requiredScopes);
        }
    }

    /** The kinds of things a list shows. */
    enum Feature { TOOL, PROMPT, RESOURCE }

    /** Empty when {@code caller} may make this request. */
    Optional<Denial> check(Caller caller, String method, ObjectNode params);

    /** Whether a list shows this item to {@code caller}. */
    boolean canSee(Caller caller, Feature feature, String name);

    /** Everything allowed: the policy when authentication is off. */
    AccessPolicy OPEN = new AccessPolicy() {
        @Override
        public Optional<Denial> check(Caller caller, String method, ObjectNode params) {
            return Optional.empty();
        }

        @Override
        public boolean canSee(Caller caller, Feature feature, String name) {
            return true;
        }
    };
}
