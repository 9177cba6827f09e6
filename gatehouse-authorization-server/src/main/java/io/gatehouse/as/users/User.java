package io.gatehouse.as.users;

import java.util.Set;

/**
 * A person who can log in. {@code allowedScopes} is what they may ever be granted (the tutorial's Keycloak
 * behaviour: a user's roles decide which scopes a token can carry); {@code *} allows every scope, and an empty set
 * none. A {@code disabled} user cannot log in, and their refresh tokens stop working.
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

    public boolean mayHave(String scope) {
        return allowedScopes.contains("*") || allowedScopes.contains(scope);
    }
}
