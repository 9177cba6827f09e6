package io.gatehouse.as.users;

import java.util.Set;

/**
 * A person who can log in. {@code allowedScopes} is what they may ever be granted (the tutorial's Keycloak
 * behaviour: a user's roles decide which scopes a token can carry); {@code *} allows every scope.
 */
public record User(String username, String passwordHash, Set<String> roles, Set<String> allowedScopes) {
    public User {
        roles = Set.copyOf(roles);
        allowedScopes = Set.copyOf(allowedScopes);
    }

    public boolean mayHave(String scope) {
        return allowedScopes.contains("*") || allowedScopes.contains(scope);
    }
}
