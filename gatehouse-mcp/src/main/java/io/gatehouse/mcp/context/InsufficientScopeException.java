package io.gatehouse.mcp.context;

import java.util.Set;

/**
 * Thrown by a tool, prompt or resource handler that finds at run time that the caller's token lacks a scope
 * (usually through {@link Caller#requireScope}). The transport answers it exactly like a declared scope that is
 * missing: HTTP 403 with a {@code WWW-Authenticate: Bearer error="insufficient_scope"} challenge naming the scopes,
 * so the client can step up (SEP-2350). Its message is shown to the client; never put secrets in it.
 */
public final class InsufficientScopeException extends RuntimeException {

    private final Set<String> requiredScopes;

    /**
     * @param requiredScopes every scope the operation needs (the challenge names them all, RS-12)
     * @param description    a short reason for the client, e.g. "deploying needs mcp:deploy"
     */
    public InsufficientScopeException(Set<String> requiredScopes, String description) {
        super(description, null, false, false);
        if (requiredScopes.isEmpty()) {
            throw new IllegalArgumentException("name at least one required scope");
        }
        this.requiredScopes = Set.copyOf(requiredScopes);
    }

    /** The scopes the challenge names. */
    public Set<String> requiredScopes() {
        return requiredScopes;
    }
}
