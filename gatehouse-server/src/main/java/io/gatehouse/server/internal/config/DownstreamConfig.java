package io.gatehouse.server.internal.config;

import java.net.URI;
import java.util.Optional;
import java.util.Set;

/**
 * One API that tools (and gateway upstreams) call as the user, from the config file's {@code downstreams:} section:
 * its audience and the issuer that exchanges a caller's token for one of that audience (RFC 8693).
 *
 * @param name     the name tools use ({@code ctx.downstreamToken(name)})
 * @param audience the downstream's audience: the embedded server's {@code audience}, or the client id Keycloak
 *                 expects as {@code audience}
 * @param scopes   the scopes to ask for (narrowing the caller's); empty: as the issuer decides
 * @param issuer   who exchanges
 */
public record DownstreamConfig(String name, String audience, Optional<Set<String>> scopes, Issuer issuer) {

    /** Who performs the exchange. */
    public sealed interface Issuer {
    }

    /**
     * The embedded authorization server, called in-process as {@code clientId}, a client of the {@code clients:}
     * section allowed to exchange tokens for this audience.
     */
    public record Embedded(String clientId) implements Issuer {
    }

    /**
     * An external authorization server's token endpoint (Keycloak's standard token exchange, ...), Gatehouse
     * authenticating as a confidential client ({@code client_secret_basic}).
     *
     * @param issuer        the issuer, whose metadata names the token endpoint (when {@code tokenEndpoint} is empty)
     * @param tokenEndpoint the token endpoint, when given directly
     * @param clientId      Gatehouse's client id there
     * @param clientSecret  its secret, read from the environment variable the config names
     */
    public record External(Optional<URI> issuer, Optional<URI> tokenEndpoint, String clientId, ClientSecret clientSecret)
            implements Issuer {
    }

    /** A client secret, kept out of {@code toString}. */
    public record ClientSecret(String variable, String value) {
        @Override
        public String toString() {
            return "ClientSecret[env " + variable + "]";
        }
    }
}
