package io.gatehouse.as.token;

import java.net.URI;
import java.time.Instant;
import java.util.Set;

/**
 * What a token family was granted: to whom, through which client, which roles and scopes, for which resource,
 * and since when. Access and refresh tokens of one family share it; a refresh may narrow the roles and scopes but
 * never widen them, and never extends the family past {@code startedAt} plus the family's maximum lifetime.
 *
 * @param startedAt when the family began (the user's authorization, or the client_credentials request)
 */
public record Grant(String familyId, String clientId, String subject, String username, Set<String> roles,
                    Set<String> scopes, URI resource, Instant startedAt) {
    public Grant {
        roles = Set.copyOf(roles);
        scopes = Set.copyOf(scopes);
        java.util.Objects.requireNonNull(startedAt, "startedAt");
    }

    public Grant withScopes(Set<String> narrower) {
        return new Grant(familyId, clientId, subject, username, roles, narrower, resource, startedAt);
    }

    public Grant withRoles(Set<String> narrower) {
        return new Grant(familyId, clientId, subject, username, narrower, scopes, resource, startedAt);
    }
}
