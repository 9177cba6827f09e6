package io.gatehouse.as.clients;

import java.net.URI;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A client the authorization server knows: pre-registered from configuration, registered dynamically (RFC 7591),
 * or described by a client ID metadata document.
 *
 * @param secretHash    SHA-256 of the client secret (base64url), empty for public clients
 * @param authMethod    {@code none}, {@code client_secret_basic} or {@code client_secret_post}
 * @param allowedScopes scopes the client may ever be granted; {@value #ANY_SCOPE} means any scope the server
 *                      supports, and an empty set means none (never "all")
 * @param origin        where the client came from, which decides whether it may use {@code client_credentials}
 * @param introspection whether the client is a resource server the operator allowed to call the introspection
 *                      endpoint (RFC 7662 section 4)
 * @param tokenExchangeAudiences the downstream audiences (absolute URIs or names) the operator allowed this client to
 *                      request by token exchange (RFC 8693); empty means none, never "all". Only a confidential client
 *                      from the config file is ever granted an exchange, whatever this holds.
 */
public record RegisteredClient(String clientId, Optional<String> secretHash, String name, List<URI> redirectUris,
                               Set<String> grantTypes, String authMethod, String applicationType,
                               Set<String> allowedScopes, Instant registeredAt, ClientOrigin origin, boolean introspection,
                               List<String> tokenExchangeAudiences) {

    /** In {@link #allowedScopes}: any scope the server supports (for clients that act only for a consenting user). */
    public static final String ANY_SCOPE = "*";

    /** A client that may not exchange tokens (no token-exchange audiences). */
    public RegisteredClient(String clientId, Optional<String> secretHash, String name, List<URI> redirectUris,
                            Set<String> grantTypes, String authMethod, String applicationType,
                            Set<String> allowedScopes, Instant registeredAt, ClientOrigin origin, boolean introspection) {
        this(clientId, secretHash, name, redirectUris, grantTypes, authMethod, applicationType, allowedScopes, registeredAt, origin,
                introspection, List.of());
    }

    public RegisteredClient {
        tokenExchangeAudiences = tokenExchangeAudiences == null ? List.of() : List.copyOf(tokenExchangeAudiences);
        redirectUris = List.copyOf(redirectUris);
        grantTypes = Set.copyOf(grantTypes);
        allowedScopes = Set.copyOf(allowedScopes);
        java.util.Objects.requireNonNull(origin, "origin");
    }

    /**
     * Whether the client registered itself (open RFC 7591 dynamic registration or a client ID metadata document)
     * rather than being approved by the operator (configured, or registered with the initial access token).
     */
    public boolean selfRegistered() {
        return !origin.operatorApproved();
    }

    public boolean isPublic() {
        return secretHash.isEmpty();
    }

    /** Whether the client may be granted {@code scope}: it is in {@link #allowedScopes}, or those are {@value #ANY_SCOPE}. */
    public boolean mayHave(String scope) {
        return allowedScopes.contains(ANY_SCOPE) || allowedScopes.contains(scope);
    }

    /** The scopes of {@code supported} this client may be granted, in their order; empty when it may have none. */
    public Set<String> scopesWithin(Collection<String> supported) {
        Set<String> out = new LinkedHashSet<>();
        supported.stream().filter(this::mayHave).forEach(out::add);
        return out;
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
