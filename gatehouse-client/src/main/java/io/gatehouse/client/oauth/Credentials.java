package io.gatehouse.client.oauth;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * What the client holds for one authorization server (CL-08: never reused with another): its registration and
 * its tokens for one resource, with absolute expiry times. A registration belongs to the issuer and to the
 * metadata URL it was validated against ({@code metadataUrl}; empty only for entries written by older versions,
 * which are never reused for a new login).
 */
public record Credentials(String issuer, Optional<URI> metadataUrl, String clientId, Optional<String> clientSecret, String authMethod,
                          Optional<Tokens> tokens) {

    /** Tokens for one resource. {@code expiresAt} is absolute; a missing {@code expires_in} means unknown (Instant.MAX). */
    public record Tokens(String resource, String accessToken, Optional<String> refreshToken, String scope, Instant expiresAt) {
        public boolean isFresh(Instant now) {
            return expiresAt.isAfter(now.plusSeconds(30));
        }
    }

    /** A new registration at the authorization server {@code as} describes. */
    static Credentials registered(ServerMetadata as, String clientId, Optional<String> clientSecret, String authMethod) {
        return new Credentials(as.issuer(), Optional.of(as.metadataUrl()), clientId, clientSecret, authMethod, Optional.empty());
    }

    /** Whether this registration was made at the authorization server {@code as} describes (same issuer, same metadata URL). */
    boolean belongsTo(ServerMetadata as) {
        return issuer.equals(as.issuer()) && metadataUrl.map(as.metadataUrl()::equals).orElse(false);
    }

    public Credentials withTokens(Tokens tokens) {
        return new Credentials(issuer, metadataUrl, clientId, clientSecret, authMethod, Optional.of(tokens));
    }

    public Credentials withoutTokens() {
        return new Credentials(issuer, metadataUrl, clientId, clientSecret, authMethod, Optional.empty());
    }
}
