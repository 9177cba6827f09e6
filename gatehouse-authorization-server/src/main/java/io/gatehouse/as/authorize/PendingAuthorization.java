package io.gatehouse.as.authorize;

import io.gatehouse.as.clients.ClientNames;
import io.gatehouse.as.clients.RegisteredClient;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A validated authorization request waiting for the user to log in and consent. The pages refer to it by an
 * unguessable id, so nothing the browser sends back can change what was validated. It keeps only what the
 * login and consent steps need of the client, not the whole registration (which may be large), and every
 * string in it is bounded ({@link ParameterLimits}).
 * {@code redirectUriInRequest} says whether the request named the redirect URI (the token request must then repeat
 * it, RFC 6749 section 4.1.3).
 */
record PendingAuthorization(String id, Client client, URI redirectUri, boolean redirectUriInRequest,
                            Optional<String> state, String codeChallenge, Set<String> requestedScopes, URI resource, Instant expiresAt) {

    /**
     * What the login and consent steps need to know of the client. {@code nameVerified}: the operator wrote the
     * name (a configured client); every other client's name is what the client said about itself.
     */
    record Client(String clientId, String name, Set<String> allowedScopes, boolean selfRegistered, boolean nameVerified) {
        Client {
            allowedScopes = Set.copyOf(allowedScopes);
        }

        static Client of(RegisteredClient client) {
            return new Client(client.clientId(), client.name(), client.allowedScopes(), client.selfRegistered(),
                    ClientNames.verified(client));
        }

        /** As {@link RegisteredClient#mayHave}. */
        boolean mayHave(String scope) {
            return allowedScopes.contains(RegisteredClient.ANY_SCOPE) || allowedScopes.contains(scope);
        }
    }
}
