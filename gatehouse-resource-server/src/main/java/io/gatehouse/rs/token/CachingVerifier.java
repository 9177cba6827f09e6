package io.gatehouse.rs.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
 * then), not handed to a pool: on two cores a hand-off per few hundred lookups cost more than the upkeep. Each
 * lookup is counted in {@code gatehouse.token.cache.lookups} by {@code result} ({@code hit} or {@code miss}).
 */
public final class CachingVerifier implements TokenVerifier {

    private final TokenVerifier delegate;
    private final Cache<TokenHash, AccessToken> verified;
    private final Clock clock;
    private final Counter hits;
    private final Counter misses;

    /** A cache whose lookups are counted nowhere anyone reads (tests, benchmarks). */
    public CachingVerifier(TokenVerifier delegate, int maxEntries, Duration maxAge, Clock clock) {
        this(delegate, maxEntries, maxAge, clock, new SimpleMeterRegistry());
    }

    /** @param registry where the lookups are counted */
    public CachingVerifier(TokenVerifier delegate, int maxEntries, Duration maxAge, Clock clock, MeterRegistry registry) {
        this.delegate = delegate;
        this.clock = clock;
        this.hits = lookups(registry, "hit");
        this.misses = lookups(registry, "miss");
        this.verified = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .executor(Runnable::run)
                .expireAfter(Expiry.<TokenHash, AccessToken>creating((key, token) -> {
                    Duration untilExpiry = Duration.between(clock.instant(), token.expiresAt());
                    return untilExpiry.compareTo(maxAge) < 0 ? untilExpiry : maxAge;
                }))
                .build();
    }

    private static Counter lookups(MeterRegistry registry, String result) {
        return Counter.builder("gatehouse.token.cache.lookups").tag("result", result)
                .description("Lookups in the cache of verified access tokens").register(registry);
    }

    @Override
    public AccessToken verify(String token) {
        TokenHash key = TokenHash.of(token);
        AccessToken cached = verified.getIfPresent(key);
        if (cached != null && cached.expiresAt().isAfter(clock.instant())) {
            hits.increment();
            return cached;
        }
        misses.increment();
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
