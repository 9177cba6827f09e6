package io.gatehouse.as.token;

import java.net.URI;
import java.time.Instant;

/**
 * An issued authorization code, bound to its client, redirect URI, PKCE challenge and resource (RFC 6749
 * section 4.1.2, RFC 7636, RFC 8707). Stored under the hash of the code, never the code itself.
 */
public record AuthorizationCode(Grant grant, URI redirectUri, String codeChallenge, Instant expiresAt) {
}
