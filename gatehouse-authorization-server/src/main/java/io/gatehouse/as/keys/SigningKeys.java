package io.gatehouse.as.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;

/**
 * The authorization server's RS256 signing keys: generated at first start and stored; the newest signs. A
 * rotation adds a new key and gives the old ones an expiry of "now + the longest token lifetime", so they stay
 * published in the JWKS until every token they signed has expired.
 */
public final class SigningKeys {

    private final KeyStore store;
    private final Clock clock;
    private final Duration tokenLifetime;
    private volatile List<JWK> keys;

    public SigningKeys(KeyStore store, Clock clock, Duration tokenLifetime) {
        this.store = store;
        this.clock = clock;
        this.tokenLifetime = tokenLifetime;
        List<JWK> loaded = store.load();
        this.keys = loaded.isEmpty() ? List.of() : loaded;
        if (live().isEmpty()) {
            rotate();
        }
    }

    /** The key new tokens are signed with. */
    public RSAKey current() {
        return live().stream().filter(k -> k.getExpirationTime() == null)
                .max(Comparator.comparing(JWK::getIssueTime)).orElseThrow().toRSAKey();
    }

    /** The public keys to publish: the current one and those whose tokens may still be alive. */
    public JWKSet publicKeys() {
        return new JWKSet(live().stream().map(JWK::toPublicJWK).toList());
    }

    /** Rotates when the current key was made more than {@code lifetime} ago; returns whether it did. */
    public synchronized boolean rotateIfOlderThan(Duration lifetime) {
        java.util.Date made = current().getIssueTime();
        if (made != null && made.toInstant().plus(lifetime).isAfter(clock.instant())) {
            return false;
        }
        rotate();
        return true;
    }

    public synchronized void rotate() {
        Instant now = clock.instant();
        List<JWK> next = new ArrayList<>();
        for (JWK key : live()) {
            next.add(key.getExpirationTime() != null ? key
                    : new RSAKey.Builder(key.toRSAKey()).expirationTime(Date.from(now.plus(tokenLifetime))).build());
        }
        try {
            next.add(new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .keyIDFromThumbprint(true).issueTime(Date.from(now)).generate());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an RSA key", e);
        }
        store.save(next);
        keys = List.copyOf(next);
    }

    private List<JWK> live() {
        Instant now = clock.instant();
        return keys.stream().filter(k -> k.getExpirationTime() == null || k.getExpirationTime().toInstant().isAfter(now)).toList();
    }
}
