package io.gatehouse.as.authorize;

import io.gatehouse.as.clients.RegisteredClient;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A validated authorization request waiting for the user to log in and consent. The pages refer to it by an
 * unguessable id, so nothing the browser sends back can change what was validated. {@code redirectUriInRequest}
 * says whether the request named the redirect URI (the token request must then repeat it, RFC 6749 section 4.1.3).
 */
record PendingAuthorization(String id, RegisteredClient client, URI redirectUri, boolean redirectUriInRequest,
                            Optional<String> state, String codeChallenge, Set<String> requestedScopes, URI resource,
                            Instant expiresAt) {
}
