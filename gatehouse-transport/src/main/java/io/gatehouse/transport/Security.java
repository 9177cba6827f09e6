package io.gatehouse.transport;

import java.util.Optional;

/**
 * What guards and serves OAuth on this server, decided once the canonical MCP URL is known: the resource-server
 * protection of the MCP endpoint, and the OAuth endpoints served on this origin (the embedded authorization server
 * when Gatehouse issues tokens itself, or the bridge to an upstream one).
 *
 * @param resourceServer      how the MCP endpoint is protected; empty for no authentication
 * @param authorizationServer the OAuth endpoints to serve on this origin; empty for none
 */
public record Security(Optional<Protection> resourceServer, Optional<OAuthEndpoints> authorizationServer) {

    /** No authentication and no OAuth endpoints. */
    public static final Security NONE = new Security(Optional.empty(), Optional.empty());
}
