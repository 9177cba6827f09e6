package io.gatehouse.rs.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.testkit.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CachingVerifierTest {

    private static final Instant NOW = Instant.parse("2025-11-25T12:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final AtomicInteger calls = new AtomicInteger();

    private static AccessToken token(String subject, Instant expiresAt) {
        return new AccessToken(Tokens.ISSUER, subject, subject, "client", Set.of("mcp:read"), Set.of(),
                List.of(Tokens.AUDIENCE), expiresAt, "");
    }

    /** Accepts any token whose text starts with "good", valid for ten minutes from now; counts every call. */
    private final TokenVerifier delegate = token -> {
        calls.incrementAndGet();
        if (!token.startsWith("good")) {
            throw new InvalidTokenException("bad token");
        }
        return token(token, clock.instant().plus(Duration.ofMinutes(10)));
    };

    private final CachingVerifier caching = new CachingVerifier(delegate, 100, Duration.ofMinutes(30), clock);

    @Test
    void a_second_verification_of_the_same_token_does_not_reach_the_delegate() {
        AccessToken first = caching.verify("good-1");
        AccessToken second = caching.verify("good-1");

        assertThat(second).isEqualTo(first);
        assertThat(calls).hasValue(1);
    }

    @Test
    @Tag("issue-15")
    void every_lookup_is_counted_as_a_hit_or_a_miss_and_a_failure_or_an_expired_entry_is_a_miss() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CachingVerifier counted = new CachingVerifier(delegate, 100, Duration.ofMinutes(30), clock, registry);
        counted.verify("good-1");
        counted.verify("good-1");
        counted.verify("good-1");
        assertThatThrownBy(() -> counted.verify("bad")).isInstanceOf(InvalidTokenException.class);
        clock.advance(Duration.ofMinutes(11));
        counted.verify("good-1");

        assertThat(registry.get("gatehouse.token.cache.lookups").tag("result", "hit").counter().count()).isEqualTo(2);
        assertThat(registry.get("gatehouse.token.cache.lookups").tag("result", "miss").counter().count()).isEqualTo(3);
    }

    @Test
    void different_tokens_are_verified_separately() {
        assertThat(caching.verify("good-1").subject()).isEqualTo("good-1");
        assertThat(caching.verify("good-2").subject()).isEqualTo("good-2");

        assertThat(calls).hasValue(2);
    }

    @Test
    void a_cached_token_past_its_expiry_is_not_returned() {
        caching.verify("good-1");
        clock.advance(Duration.ofMinutes(11));

        AccessToken again = caching.verify("good-1");

        assertThat(calls).hasValue(2);
        assertThat(again.expiresAt()).isAfter(clock.instant());
    }

    @Test
    void a_cached_token_whose_delegate_now_rejects_it_after_expiry_is_rejected() {
        TokenVerifier once = new TokenVerifier() {
            private boolean used;

            @Override
            public AccessToken verify(String token) {
                calls.incrementAndGet();
                if (used) {
                    throw InvalidTokenException.expired();
                }
                used = true;
                return token("user", clock.instant().plus(Duration.ofMinutes(1)));
            }
        };
        CachingVerifier cachingOnce = new CachingVerifier(once, 100, Duration.ofMinutes(30), clock);
        cachingOnce.verify("good");
        clock.advance(Duration.ofMinutes(2));

        assertThatThrownBy(() -> cachingOnce.verify("good")).isInstanceOf(InvalidTokenException.class);
        assertThat(calls).hasValue(2);
    }

    @Test
    void failures_are_not_cached() {
        assertThatThrownBy(() -> caching.verify("bad")).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> caching.verify("bad")).isInstanceOf(InvalidTokenException.class);

        assertThat(calls).hasValue(2);
    }

    @Test
    void an_unavailable_verifier_is_asked_again_next_time() {
        AtomicInteger attempts = new AtomicInteger();
        CachingVerifier flaky = new CachingVerifier(token -> {
            if (attempts.incrementAndGet() == 1) {
                throw new VerifierUnavailableException("keys unreachable", null);
            }
            return token("user", clock.instant().plus(Duration.ofMinutes(10)));
        }, 100, Duration.ofMinutes(30), clock);

        assertThatThrownBy(() -> flaky.verify("good")).isInstanceOf(VerifierUnavailableException.class);
        assertThat(flaky.verify("good").subject()).isEqualTo("user");
        assertThat(attempts).hasValue(2);
    }

    @Test
    void the_cache_key_is_the_sha256_of_the_token() {
        assertThat(CachingVerifier.TokenHash.of("abc").toString())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
                .hasSize(64)
                .doesNotContain("abc");
    }

    @Test
    void tokens_differing_only_in_non_ascii_characters_have_different_cache_keys() {
        assertThat(CachingVerifier.TokenHash.of("good\u00e9")).isNotEqualTo(CachingVerifier.TokenHash.of("good\u00fc"))
                .isEqualTo(CachingVerifier.TokenHash.of("good\u00e9"));
    }

    @Test
    void a_token_differing_from_a_cached_one_only_in_a_non_ascii_character_is_verified_again() {
        caching.verify("good\u00e9");

        assertThat(caching.verify("good\u00fc").subject()).isEqualTo("good\u00fc");
        assertThat(calls).hasValue(2);
    }
}
