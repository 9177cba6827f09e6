package io.gatehouse.transport;

import io.gatehouse.as.AuthorizationServer;
import java.util.Optional;

/**
 * What guards and serves OAuth on this server, decided once the canonical MCP URL is known: the resource-server
 * protection of the MCP endpoint, and the embedded authorization server when Gatehouse issues tokens itself.
 */
public record Security(Optional<Protection> resourceServer, Optional<AuthorizationServer> authorizationServer) {

    public static final Security NONE = new Security(Optional.empty(), Optional.empty());
}
