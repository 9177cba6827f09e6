package io.gatehouse.as.clients;

import java.util.Optional;

/**
 * Finds a client by id, in the spec's order: pre-registered or dynamically registered clients from the store,
 * then (when enabled) a client ID metadata document for an https client id.
 */
@FunctionalInterface
public interface ClientResolver {
    Optional<RegisteredClient> resolve(String clientId);

    /**
     * The same for a request from {@code caller} (its IP address): a resolver that fetches from the network counts
     * its fetches per caller and throws {@link TooManyFetches} past its limit.
     */
    default Optional<RegisteredClient> resolve(String clientId, String caller) {
        return resolve(clientId);
    }

    /** {@code first}, and for a client id it does not know, {@code then}; the caller is passed on to both. */
    static ClientResolver firstThen(ClientResolver first, ClientResolver then) {
        return new ClientResolver() {
            @Override
            public Optional<RegisteredClient> resolve(String clientId) {
                return first.resolve(clientId).or(() -> then.resolve(clientId));
            }

            @Override
            public Optional<RegisteredClient> resolve(String clientId, String caller) {
                return first.resolve(clientId, caller).or(() -> then.resolve(clientId, caller));
            }
        };
    }
}
