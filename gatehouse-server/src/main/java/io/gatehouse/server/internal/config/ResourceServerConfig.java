package io.gatehouse.server.internal.config;

import java.net.URI;
import io.gatehouse.rs.token.TokenTypes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How Gatehouse checks tokens when it is an OAuth resource server ({@code local-keys} or {@code external}).
 * Empty audiences mean "the canonical MCP URL"; an empty issuer in local-keys mode means "the public base URL".
 * Scopes and roles are each read from one claim ({@code scopeClaim}, {@code rolesClaim}), chosen per mode when not
 * configured; only tokens marked as {@code acceptedTokenTypes} allow are access tokens.
 */
public record ResourceServerConfig(Optional<String> issuer, Optional<URI> jwksUrl, Optional<Path> jwksFile,
                                   Optional<Path> publicKey, List<String> audiences, Optional<Introspection> introspection,
                                   String scopeClaim, String rolesClaim, TokenTypes acceptedTokenTypes, Duration clockSkew,
                                   int maxTokenBytes, int tokenCacheSize, Duration introspectionCacheTime,
                                   boolean nativeCrypto, Duration jwksCacheTime, Duration jwksRefetchInterval, Duration jwksFetchTimeout,
                                   String resourceName, Optional<URI> resourceDocumentation, AccessConfig access,
                                   boolean auditAllowed, boolean bridge) {

    /** RFC 7662 introspection endpoint and the confidential client Gatehouse authenticates as. */
    public record Introspection(URI url, String clientId, String clientSecret) {
        @Override
        public String toString() {
            return "Introspection[url=" + url + ", clientId=" + clientId + ", clientSecret=(hidden)]";
        }
    }
}
