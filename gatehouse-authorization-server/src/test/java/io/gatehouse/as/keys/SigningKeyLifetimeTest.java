package io.gatehouse.as.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.as.store.InMemoryKeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The signing key is replaced once it is older than its lifetime, and the old one stays published meanwhile. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SigningKeyLifetimeTest {

    static final class Ticking extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void a_key_younger_than_its_lifetime_is_kept_and_an_older_one_is_replaced() {
        Ticking clock = new Ticking();
        SigningKeys keys = new SigningKeys(new InMemoryKeyStore(), clock, Duration.ofMinutes(15));
        String first = keys.current().getKeyID();
        clock.now = clock.now.plus(Duration.ofDays(29));
        assertThat(keys.rotateIfOlderThan(Duration.ofDays(30))).isFalse();
        assertThat(keys.current().getKeyID()).isEqualTo(first);
        clock.now = clock.now.plus(Duration.ofDays(2));
        assertThat(keys.rotateIfOlderThan(Duration.ofDays(30))).isTrue();
        assertThat(keys.current().getKeyID()).isNotEqualTo(first);
        assertThat(keys.publicKeys().getKeys()).extracting(k -> k.getKeyID()).contains(first);
        clock.now = clock.now.plus(Duration.ofMinutes(16));
        assertThat(keys.publicKeys().getKeys()).extracting(k -> k.getKeyID()).doesNotContain(first);
    }

    @Test
    @org.junit.jupiter.api.Tag("issue-14")
    void a_retired_key_stays_published_for_the_tokens_other_nodes_sign_with_it_until_they_reload() {
        // another node keeps signing with the old key until its next reload (at most RELOAD_INTERVAL after the
        // rotation): its last tokens expire a token lifetime after that
        Ticking clock = new Ticking();
        SigningKeys keys = new SigningKeys(new InMemoryKeyStore(), clock, Duration.ofMinutes(15));
        String first = keys.current().getKeyID();
        keys.rotate();
        clock.now = clock.now.plus(Duration.ofMinutes(15)).plus(SigningKeys.RELOAD_INTERVAL).minusMillis(1);
        assertThat(keys.publicKeys().getKeys()).extracting(k -> k.getKeyID()).contains(first);
    }

    @Test
    void keys_survive_in_their_store() {
        InMemoryKeyStore store = new InMemoryKeyStore();
        String kid = new SigningKeys(store, Clock.systemUTC(), Duration.ofMinutes(15)).current().getKeyID();
        assertThat(new SigningKeys(store, Clock.systemUTC(), Duration.ofMinutes(15)).current().getKeyID()).isEqualTo(kid);
    }
}
