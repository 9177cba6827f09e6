package io.gatehouse.as.token;

import java.net.URI;
import java.time.Instant;

/**
 * An issued authorization code, bound to its client, redirect URI, PKCE challenge and resource (RFC 6749
 * section 4.1.2, RFC 7636, RFC 8707). Stored under the hash of the code, never the code itself.
 *
 * @param redirectUri          where the code was sent
 * @param redirectUriInRequest whether the authorization request named {@code redirectUri} (rather than the client's
 *                             only registered one being used): then the token request must repeat it (RFC 6749
 *                             section 4.1.3)
 */
public record AuthorizationCode(Grant grant, URI redirectUri, boolean redirectUriInRequest, String codeChallenge,
                                Instant expiresAt) {
}
