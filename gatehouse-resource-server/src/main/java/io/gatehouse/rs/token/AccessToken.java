package io.gatehouse.rs.token;

import io.gatehouse.mcp.context.Caller;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A verified access token, reduced to what authorization needs. Never holds the token string itself.
 *
 * @param issuer    {@code iss}
 * @param subject   {@code sub}
 * @param username  {@code preferred_username}, else {@code username}, else the subject
 * @param clientId  {@code client_id}, else {@code azp}, else ""
 * @param scopes    from the configured scope claim (default {@code scope}, space-separated or an array)
 * @param roles     from the configured roles claim
 * @param audience  {@code aud}
 * @param expiresAt {@code exp}
 * @param tokenId   {@code jti}, or "" when the token has none
 */
public record AccessToken(String issuer, String subject, String username, String clientId, Set<String> scopes,
                          Set<String> roles, List<String> audience, Instant expiresAt, String tokenId) {

    public AccessToken {
        scopes = Set.copyOf(scopes);
        roles = Set.copyOf(roles);
        audience = List.copyOf(audience);
    }

    public Caller toCaller() {
        return new Caller(issuer, subject, username, clientId, scopes, roles, expiresAt);
    }
}
