package io.gatehouse.rs.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Remembers tokens that verified, so the authenticated path skips the signature check on every request after
 * the first. Keyed by the SHA-256 of the token (the token itself is never stored or logged); each entry lives
 * until the token's {@code exp} or {@code maxAge}, whichever comes first, and the cache holds at most
 * {@code maxEntries}. Failures are not cached.
 */
public final class CachingVerifier implements TokenVerifier {

    private final TokenVerifier delegate;
    private final Cache<String, AccessToken> verified;
    private final Clock clock;

    public CachingVerifier(TokenVerifier delegate, int maxEntries, Duration maxAge, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
        this.verified = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfter(Expiry.<String, AccessToken>creating((key, token) -> {
                    Duration untilExpiry = Duration.between(clock.instant(), token.expiresAt());
                    return untilExpiry.compareTo(maxAge) < 0 ? untilExpiry : maxAge;
                }))
                .build();
    }

    @Override
    public AccessToken verify(String token) {
        String key = sha256(token);
        AccessToken cached = verified.getIfPresent(key);
        if (cached != null && cached.expiresAt().isAfter(clock.instant())) {
            return cached;
        }
        AccessToken fresh = delegate.verify(token);
        verified.put(key, fresh);
        return fresh;
    }

    private static final MessageDigest SHA_256;

    static {
        try {
            SHA_256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    static String sha256(String token) {
        try {
            MessageDigest digest = (MessageDigest) SHA_256.clone();
            return HexFormat.of().formatHex(digest.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests can be cloned", e);
        }
    }
}
