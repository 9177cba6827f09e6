package io.gatehouse.rs.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.nio.ByteBuffer;
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
 * {@code maxEntries}. Failures are not cached. The cache's upkeep runs on the calling thread (a little, now and
 * then), not handed to a pool: on two cores a hand-off per few hundred lookups cost more than the upkeep.
 */
public final class CachingVerifier implements TokenVerifier {

    private final TokenVerifier delegate;
    private final Cache<TokenHash, AccessToken> verified;
    private final Clock clock;

    public CachingVerifier(TokenVerifier delegate, int maxEntries, Duration maxAge, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
        this.verified = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .executor(Runnable::run)
                .expireAfter(Expiry.<TokenHash, AccessToken>creating((key, token) -> {
                    Duration untilExpiry = Duration.between(clock.instant(), token.expiresAt());
                    return untilExpiry.compareTo(maxAge) < 0 ? untilExpiry : maxAge;
                }))
                .build();
    }

    @Override
    public AccessToken verify(String token) {
        TokenHash key = TokenHash.of(token);
        AccessToken cached = verified.getIfPresent(key);
        if (cached != null && cached.expiresAt().isAfter(clock.instant())) {
            return cached;
        }
        AccessToken fresh = delegate.verify(token);
        verified.put(key, fresh);
        return fresh;
    }

    /** The SHA-256 of a token, as four longs: cheap to hash and compare, and it says nothing about the token. */
    record TokenHash(long a, long b, long c, long d) {

        private static final MessageDigest SHA_256;

        static {
            try {
                SHA_256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is always available", e);
            }
        }

        static TokenHash of(String token) {
            try {
                ByteBuffer digest = ByteBuffer.wrap(((MessageDigest) SHA_256.clone()).digest(token.getBytes(StandardCharsets.UTF_8)));
                return new TokenHash(digest.getLong(), digest.getLong(), digest.getLong(), digest.getLong());
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("SHA-256 digests can be cloned", e);
            }
        }

        @Override
        public String toString() {
            return HexFormat.of().toHexDigits(a) + HexFormat.of().toHexDigits(b) + HexFormat.of().toHexDigits(c)
                    + HexFormat.of().toHexDigits(d);
        }
    }
}
