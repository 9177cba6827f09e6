package io.gatehouse.as.federation;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The operator's role-to-scope rules (the config file's {@code access.role-scopes}): what a federated user may be
 * granted is the union of the scopes their upstream roles grant; {@code *} grants every scope.
 */
public record RoleScopes(Map<String, Set<String>> rules) {

    public RoleScopes {
        rules = Map.copyOf(rules);
    }

    /** The scopes {@code roles} grant together (empty: nothing). */
    public Set<String> grantedTo(Set<String> roles) {
        Set<String> scopes = new LinkedHashSet<>();
        for (String role : roles) {
            scopes.addAll(rules.getOrDefault(role, Set.of()));
        }
        return scopes;
    }
}
