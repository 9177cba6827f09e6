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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authorization server's RS256 signing keys: generated at first start and stored; the newest signs. A
 * rotation adds a new key and gives the old ones an expiry of "now + the longest token lifetime", so they stay
 * published in the JWKS until every token they signed has expired.
 *
 * <p>Several nodes may share one store. Each keeps a copy, read again from the store when it is older than
 * {@link #RELOAD_INTERVAL} and at once when a token names a key id the copy does not know (at most once per
 * {@link #UNKNOWN_KID_RELOAD_INTERVAL}, since anyone can send a token with a random {@code kid}). So a rotation on
 * one node is published, used for signing and accepted by every node within the interval, and a token signed
 * by a node that already has the new key verifies everywhere at once. Rotations run under the store's lock
 * ({@link KeyStore#exclusively}), and each re-reads the stored keys inside it, so nodes rotating at the same
 * moment do not overwrite each other's keys, and a scheduled rotation that another node just did is not repeated.
 * A copy that cannot be reloaded (the database is down) is kept, and tried again after the interval.
 */
public final class SigningKeys {

    /** How old the copy of the stored keys may get before it is read again. */
    public static final Duration RELOAD_INTERVAL = Duration.ofSeconds(10);
    /** At most one reload for an unknown key id per this interval. */
    public static final Duration UNKNOWN_KID_RELOAD_INTERVAL = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);

    private record Copy(List<JWK> keys, Instant loadedAt) {
    }

    private final KeyStore store;
    private final Clock clock;
    private final Duration tokenLifetime;
    private final AtomicBoolean reloading = new AtomicBoolean();
    private final AtomicReference<Instant> lastUnknownKidReload = new AtomicReference<>(Instant.MIN);
    private volatile Copy copy;

    public SigningKeys(KeyStore store, Clock clock, Duration tokenLifetime) {
        this.store = store;
        this.clock = clock;
        this.tokenLifetime = tokenLifetime;
        this.copy = new Copy(List.copyOf(store.load()), clock.instant());
        if (live(copy.keys()).isEmpty()) {
            store.exclusively(() -> {
                List<JWK> stored = store.load(); // another node may have made the first key meanwhile
                this.copy = new Copy(List.copyOf(live(stored).isEmpty() ? rotated(stored) : stored), clock.instant());
                return null;
            });
        }
    }

    /** The key new tokens are signed with. */
    public RSAKey current() {
        return current(live(fresh().keys())).toRSAKey();
    }

    /** The public keys to publish: the current one and those whose tokens may still be alive. */
    public JWKSet publicKeys() {
        return new JWKSet(live(fresh().keys()).stream().map(JWK::toPublicJWK).toList());
    }

    /**
     * The public keys to verify a token whose header names {@code kid}: when the copy does not know it, the store is
     * read again first (at most once per {@link #UNKNOWN_KID_RELOAD_INTERVAL}, whoever asks).
     */
    public JWKSet publicKeys(String kid) {
        JWKSet keys = publicKeys();
        if (kid == null || keys.getKeyByKeyId(kid) != null) {
            return keys;
        }
        Instant now = clock.instant();
        Instant last = lastUnknownKidReload.get();
        if (now.isBefore(last.plus(UNKNOWN_KID_RELOAD_INTERVAL)) || !lastUnknownKidReload.compareAndSet(last, now)) {
            return keys;
        }
        reload();
        return publicKeys();
    }

    /**
     * Rotates when the current key was made more than {@code lifetime} ago, as the stored keys say under the lock
     * (another node may have rotated a moment ago); returns whether this call did.
     */
    public boolean rotateIfOlderThan(Duration lifetime) {
        List<JWK> known = live(fresh().keys());
        if (!known.isEmpty() && !isOlderThan(current(known), lifetime)) {
            return false;
        }
        return store.exclusively(() -> {
            List<JWK> stored = store.load();
            List<JWK> live = live(stored);
            boolean due = live.isEmpty() || isOlderThan(current(live), lifetime);
            copy = new Copy(List.copyOf(due ? rotated(stored) : stored), clock.instant());
            return due;
        });
    }

    /** Rotates now, under the store's lock; returns the new current key's id. */
    public String rotate() {
        return store.exclusively(() -> {
            List<JWK> next = rotated(store.load());
            copy = new Copy(List.copyOf(next), clock.instant());
            return current(live(next)).getKeyID();
        });
    }

    private boolean isOlderThan(JWK key, Duration lifetime) {
        Date made = key.getIssueTime();
        return made == null || !made.toInstant().plus(lifetime).isAfter(clock.instant());
    }

    /** Saves {@code stored}'s live keys, the current ones given an expiry, plus a new key; returns what was saved. */
    private List<JWK> rotated(List<JWK> stored) {
        Instant now = clock.instant();
        List<JWK> next = new ArrayList<>();
        for (JWK key : live(stored)) {
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
        return next;
    }

    /** The copy, read again first when it is older than {@link #RELOAD_INTERVAL} (by one caller; the others use it as it is). */
    private Copy fresh() {
        Copy now = copy;
        if (now.loadedAt().plus(RELOAD_INTERVAL).isAfter(clock.instant())) {
            return now;
        }
        reload();
        return copy;
    }

    private void reload() {
        if (!reloading.compareAndSet(false, true)) {
            return;
        }
        try {
            List<JWK> stored = store.load();
            if (live(stored).isEmpty()) {
                LOG.warn("The stored signing keys have no live key; keeping the ones loaded before");
                copy = new Copy(copy.keys(), clock.instant());
            } else {
                copy = new Copy(List.copyOf(stored), clock.instant());
            }
        } catch (RuntimeException e) {
            LOG.warn("Cannot reload the signing keys ({}); keeping the ones loaded before", e.getMessage());
            copy = new Copy(copy.keys(), clock.instant());
        } finally {
            reloading.set(false);
        }
    }

    private static JWK current(List<JWK> live) {
        return live.stream().filter(k -> k.getExpirationTime() == null)
                .max(Comparator.comparing(JWK::getIssueTime, Comparator.nullsFirst(Comparator.naturalOrder())))
                .or(() -> live.stream().max(Comparator.comparing(JWK::getExpirationTime))).orElseThrow(
                        () -> new IllegalStateException("no live signing key"));
    }

    private List<JWK> live(List<JWK> keys) {
        Instant now = clock.instant();
        return keys.stream().filter(k -> k.getExpirationTime() == null || k.getExpirationTime().toInstant().isAfter(now)).toList();
    }
}
