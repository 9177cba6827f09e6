package io.gatehouse.rs.token;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import java.security.Key;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the Java keys a key id and algorithm resolved to, so verifying a token does not convert the JWK
 * again on every request (nor convert it to the native provider's key type: see {@link Signatures#prepare}). A key id names one key, so an entry can only go stale when the key is withdrawn from
 * the key set; entries are therefore kept for a short time only.
 */
final class CachedKeySelector implements JWSKeySelector<SecurityContext> {

    private record Entry(List<? extends Key> keys, long expiresAtNanos) {
    }

    private final JWSKeySelector<SecurityContext> delegate;
    private final Signatures signatures;
    private final long ttlNanos;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    /** @param signatures prepares each key selected, once it knows which provider will verify with it */
    CachedKeySelector(JWSKeySelector<SecurityContext> delegate, Duration ttl, Signatures signatures) {
        this.delegate = delegate;
        this.signatures = signatures;
        this.ttlNanos = ttl.toNanos();
    }

    @Override
    public List<? extends Key> selectJWSKeys(JWSHeader header, SecurityContext context) throws KeySourceException {
        if (header.getKeyID() == null) {
            return select(header, context);
        }
        String id = header.getAlgorithm().getName() + ' ' + header.getKeyID();
        long now = System.nanoTime();
        Entry entry = cache.get(id);
        if (entry != null && now - entry.expiresAtNanos() < 0) {
            return entry.keys();
        }
        boolean settled = signatures.settled();
        List<Key> keys = select(header, context);
        if (settled && !keys.isEmpty()) {
            if (cache.size() > 1_000) {
                cache.clear();
            }
            cache.put(id, new Entry(keys, now + ttlNanos));
        }
        return keys;
    }

    private List<Key> select(JWSHeader header, SecurityContext context) throws KeySourceException {
        return delegate.selectJWSKeys(header, context).stream().map(signatures::prepare).toList();
    }
}
