package io.gatehouse.as.store;

import io.gatehouse.as.clients.ClientStore;
import io.gatehouse.as.clients.RegisteredClient;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Clients in memory: for tests and for clients pre-registered from configuration. */
public final class InMemoryClientStore implements ClientStore {

    private final Map<String, RegisteredClient> clients = new ConcurrentHashMap<>();

    @Override
    public Optional<RegisteredClient> find(String clientId) {
        return Optional.ofNullable(clients.get(clientId));
    }

    @Override
    public void save(RegisteredClient client) {
        clients.put(client.clientId(), client);
    }

    @Override
    public int count() {
        return clients.size();
    }
}
