package io.gatehouse.as.store;

import io.gatehouse.as.authorize.ConsentStore;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Consents in memory. */
public final class InMemoryConsentStore implements ConsentStore {

    private final Map<String, Set<String>> consents = new ConcurrentHashMap<>();

    @Override
    public Set<String> granted(String username, String clientId) {
        return Set.copyOf(consents.getOrDefault(username + "\u0000" + clientId, Set.of()));
    }

    /** Whether any user consented to this client. */
    boolean anyFor(String clientId) {
        return consents.keySet().stream().anyMatch(key -> key.endsWith("\u0000" + clientId));
    }

    @Override
    public void grant(String username, String clientId, Set<String> scopes) {
        consents.merge(username + "\u0000" + clientId, new HashSet<>(scopes), (a, b) -> {
            Set<String> all = new HashSet<>(a);
            all.addAll(b);
            return all;
        });
    }
}
