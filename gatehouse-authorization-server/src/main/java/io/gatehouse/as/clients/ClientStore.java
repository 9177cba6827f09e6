package io.gatehouse.as.clients;

import java.util.Optional;

/** Where registered clients live. */
public interface ClientStore {
    Optional<RegisteredClient> find(String clientId);

    void save(RegisteredClient client);

    int count();
}
