package io.gatehouse.as.token;

import java.net.URI;
import java.util.Set;

/**
 * What a token family was granted: to whom, through which client, which scopes, for which resource. Access
 * and refresh tokens of one family share it; a refresh may narrow the scopes but never widen them.
 */
public record Grant(String familyId, String clientId, String subject, String username, Set<String> roles,
                   Set<String> scopes, URI resource) {
    public Grant {
        roles = Set.copyOf(roles);
        scopes = Set.copyOf(scopes);
    }

    public Grant withScopes(Set<String> narrower) {
        return new Grant(familyId, clientId, subject, username, roles, narrower, resource);
    }
}
