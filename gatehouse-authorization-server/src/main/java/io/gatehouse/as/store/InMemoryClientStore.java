package io.gatehouse.as.store;

import io.gatehouse.as.clients.ClientStore;
import io.gatehouse.as.clients.RegisteredClient;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Clients in memory: for tests and for clients pre-registered from configuration. */
public final class InMemoryClientStore implements ClientStore {

    private final Map<String, RegisteredClient> clients = new ConcurrentHashMap<>();
    private final InMemoryConsentStore consents;

    /** {@code consents}: where to look whether anyone consented to a client, before removing it unused. */
    public InMemoryClientStore(InMemoryConsentStore consents) {
        this.consents = consents;
    }

    @Override
    public Optional<RegisteredClient> find(String clientId) {
        return Optional.ofNullable(clients.get(clientId));
    }

    @Override
    public void save(RegisteredClient client) {
        clients.put(client.clientId(), client);
    }

    @Override
    public int removeUnusedSelfRegistered(java.time.Instant before) {
        int removed = 0;
        for (RegisteredClient client : clients.values()) {
            if (client.origin() == io.gatehouse.as.clients.ClientOrigin.SELF_REGISTERED && client.registeredAt().isBefore(before)
                    && !consents.anyFor(client.clientId()) && clients.remove(client.clientId(), client)) {
                removed++;
            }
        }
        return removed;
    }

    @Override
    public int count() {
        return clients.size();
    }
}
