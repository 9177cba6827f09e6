package io.gatehouse.as.clients;

import java.util.Optional;

/** Where registered clients live. */
public interface ClientStore {
    Optional<RegisteredClient> find(String clientId);

    void save(RegisteredClient client);

    int count();

    /**
     * Removes self-registered clients (open dynamic registration) registered before {@code before} that no user ever
     * consented to: registration is anonymous, so what it stores must not grow without bound.
     *
     * @return how many were removed
     */
    int removeUnusedSelfRegistered(java.time.Instant before);
}
