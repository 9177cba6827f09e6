package io.gatehouse.client.oauth;

import java.time.Instant;
import java.util.Optional;

/**
 * What the client holds for one authorization server (CL-08: never reused with another): its registration and
 * its tokens for one resource, with absolute expiry times.
 */
public record Credentials(String issuer, String clientId, Optional<String> clientSecret, String authMethod,
                          Optional<Tokens> tokens) {

    /** Tokens for one resource. {@code expiresAt} is absolute; a missing {@code expires_in} means unknown (Instant.MAX). */
    public record Tokens(String resource, String accessToken, Optional<String> refreshToken, String scope, Instant expiresAt) {
        public boolean isFresh(Instant now) {
            return expiresAt.isAfter(now.plusSeconds(30));
        }
    }

    public Credentials withTokens(Tokens tokens) {
        return new Credentials(issuer, clientId, clientSecret, authMethod, Optional.of(tokens));
    }

    public Credentials withoutTokens() {
        return new Credentials(issuer, clientId, clientSecret, authMethod, Optional.empty());
    }
}
