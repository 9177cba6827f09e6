package io.gatehouse.transport;

import io.gatehouse.as.web.OAuthRoutes;
import java.util.Optional;

/**
 * What guards and serves OAuth on this server, decided once the canonical MCP URL is known: the resource-server
 * protection of the MCP endpoint, and the OAuth endpoints served on this origin: the embedded authorization server
 * when Gatehouse issues tokens itself, or the bridge to an upstream one.
 */
public record Security(Optional<Protection> resourceServer, Optional<OAuthRoutes> authorizationServer) {

    public static final Security NONE = new Security(Optional.empty(), Optional.empty());
}
