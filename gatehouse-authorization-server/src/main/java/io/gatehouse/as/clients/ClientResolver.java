package io.gatehouse.as.clients;

import java.util.Optional;

/**
 * Finds a client by id, in the spec's order: pre-registered or dynamically registered clients from the store,
 * then (when enabled) a client ID metadata document for an https client id.
 */
@FunctionalInterface
public interface ClientResolver {
    Optional<RegisteredClient> resolve(String clientId);
}
