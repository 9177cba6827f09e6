package io.gatehouse.as.authorize;

import io.gatehouse.as.clients.RegisteredClient;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A validated authorization request waiting for the user to log in and consent. The pages refer to it by an
 * unguessable id, so nothing the browser sends back can change what was validated.
 */
record PendingAuthorization(String id, RegisteredClient client, URI redirectUri, Optional<String> state,
                            String codeChallenge, Set<String> requestedScopes, URI resource, Instant expiresAt) {
}
