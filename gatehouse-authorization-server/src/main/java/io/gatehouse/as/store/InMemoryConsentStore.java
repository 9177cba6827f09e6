package io.gatehouse.as.store;

import io.gatehouse.as.authorize.ConsentStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Consents in memory. */
public final class InMemoryConsentStore implements ConsentStore {

    private record Key(String username, String clientId) {
    }

    private final Map<Key, Consent> consents = new ConcurrentHashMap<>();

    @Override
    public Set<String> granted(String username, String clientId) {
        Consent consent = consents.get(new Key(username, clientId));
        return consent == null ? Set.of() : consent.scopes();
    }

    /** Whether any user consented to this client. */
    boolean anyFor(String clientId) {
        return consents.keySet().stream().anyMatch(key -> key.clientId().equals(clientId));
    }

    @Override
    public void grant(String username, String clientId, Set<String> scopes, Instant at) {
        consents.merge(new Key(username, clientId), new Consent(clientId, scopes, at), (a, b) -> {
            Set<String> all = new HashSet<>(a.scopes());
            all.addAll(b.scopes());
            return new Consent(clientId, all, b.grantedAt().isAfter(a.grantedAt()) ? b.grantedAt() : a.grantedAt());
        });
    }

    @Override
    public List<Consent> consentsOf(String username) {
        return consents.entrySet().stream().filter(e -> e.getKey().username().equals(username)).map(Map.Entry::getValue)
                .sorted(Comparator.comparing(Consent::grantedAt).reversed().thenComparing(Consent::clientId))
                .limit(MAX_LISTED).toList();
    }

    @Override
    public boolean revoke(String username, String clientId) {
        return consents.remove(new Key(username, clientId)) != null;
    }
}
