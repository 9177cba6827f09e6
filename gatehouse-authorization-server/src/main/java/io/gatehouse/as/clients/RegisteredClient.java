package io.gatehouse.as.clients;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A client the authorization server knows: pre-registered from configuration, registered dynamically (RFC 7591),
 * or described by a client ID metadata document.
 *
 * @param secretHash   SHA-256 of the client secret (base64url), empty for public clients
 * @param authMethod   {@code none}, {@code client_secret_basic} or {@code client_secret_post}
 * @param allowedScopes scopes the client may request; empty means any scope the server supports
 */
public record RegisteredClient(String clientId, Optional<String> secretHash, String name, List<URI> redirectUris,
                               Set<String> grantTypes, String authMethod, String applicationType,
                               Set<String> allowedScopes, Instant registeredAt) {

    public RegisteredClient {
        redirectUris = List.copyOf(redirectUris);
        grantTypes = Set.copyOf(grantTypes);
        allowedScopes = Set.copyOf(allowedScopes);
    }

    /**
     * Whether the client registered itself (RFC 7591 dynamic registration or a client ID metadata document) rather
     * than being configured by the operator (the config file's {@code clients:} section, registered at the epoch).
     * Fails safe: anything not marked as configured counts as self-registered.
     */
    public boolean selfRegistered() {
        return !Instant.EPOCH.equals(registeredAt);
    }

    public boolean isPublic() {
        return secretHash.isEmpty();
    }

    /**
     * Exact redirect URI match (AS-10), except that a loopback redirect URI may use any port (RFC 8252 section
     * 7.3): native apps listen on an ephemeral port.
     */
    public boolean allowsRedirect(URI requested) {
        for (URI registered : redirectUris) {
            if (registered.equals(requested)) {
                return true;
            }
            if (RedirectUris.isLoopback(registered) && RedirectUris.isLoopback(requested)
                    && registered.getScheme().equals(requested.getScheme())
                    && registered.getHost().equals(requested.getHost())
                    && java.util.Objects.equals(registered.getRawPath(), requested.getRawPath())
                    && java.util.Objects.equals(registered.getRawQuery(), requested.getRawQuery())) {
                return true;
            }
        }
        return false;
    }
}
