package io.gatehouse.as.users;

import java.util.Set;

/**
 * A person who can log in. {@code allowedScopes} is what they may ever be granted (the tutorial's Keycloak
 * behaviour: a user's roles decide which scopes a token can carry); {@code *} allows every scope, and an empty set
 * none. Scopes form the resource server's hierarchy (RS-13): a user allowed {@code mcp:tools} may also be granted
 * {@code mcp:tools:words}, which a token with {@code mcp:tools} satisfies anyway (the narrower token is the
 * least-privilege one), but never the reverse. A {@code disabled} user cannot log in, and their refresh tokens stop
 * working.
 */
public record User(String username, String passwordHash, Set<String> roles, Set<String> allowedScopes, boolean disabled) {
    public User {
        roles = Set.copyOf(roles);
        allowedScopes = Set.copyOf(allowedScopes);
    }

    /** An enabled user. */
    public User(String username, String passwordHash, Set<String> roles, Set<String> allowedScopes) {
        this(username, passwordHash, roles, allowedScopes, false);
    }

    /**
     * Whether this user may be granted {@code scope}: it is allowed, or an ancestor of it is ({@code a} or
     * {@code a:b} of {@code a:b:c}), or {@code *} is.
     */
    public boolean mayHave(String scope) {
        if (allowedScopes.contains("*") || allowedScopes.contains(scope)) {
            return true;
        }
        for (int colon = scope.lastIndexOf(':'); colon > 0; colon = scope.lastIndexOf(':', colon - 1)) {
            if (allowedScopes.contains(scope.substring(0, colon))) {
                return true;
            }
        }
        return false;
    }
}
