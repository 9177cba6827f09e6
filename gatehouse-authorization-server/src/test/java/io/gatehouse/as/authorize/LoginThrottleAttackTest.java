package io.gatehouse.as.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.as.store.AsStores;
import io.gatehouse.as.store.InMemoryKeyStore;
import io.gatehouse.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A guesser tries to make the throttle forget its counters: the stores drop the oldest windows when they are full
 * (100,000 keys), so every key a refused attempt makes the store track brings the victim's counter closer to
 * eviction. A refused attempt must make the store track nothing new.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("attack")
@Tag("SEC10-5")
class LoginThrottleAttackTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final LoginThrottle throttle = new LoginThrottle(5, Duration.ofMinutes(5), clock,
            AsStores.inMemory(new InMemoryKeyStore()).loginAttempts());

    @Test
    void an_address_at_its_limit_cannot_make_the_store_track_more_usernames() {
        for (int i = 0; i < 5; i++) {
            assertThat(throttle.tryAcquire("alice", "203.0.113.7")).isTrue();
        }
        int admitted = 0;
        for (int i = 0; i < 1_000; i++) {
            admitted += throttle.tryAcquire("filler-" + i, "203.0.113.7") ? 1 : 0;
        }

        assertThat(admitted).isEqualTo(15);
        // alice, the address, and the 15 usernames it was allowed to try: not one key per refused attempt
        assertThat(throttle.trackedKeys()).isEqualTo(17);
        assertThat(throttle.tryAcquire("alice", "198.51.100.1")).isFalse();
    }

    @Test
    void addresses_of_one_ipv6_network_count_as_one_address() {
        int admitted = 0;
        for (int i = 0; i < 100; i++) {
            // one host commonly holds a whole /64: a new source address per guess must not mean a new budget
            admitted += throttle.tryAcquire("user" + i, "2001:db8:1:2::" + Integer.toHexString(i + 1)) ? 1 : 0;
        }

        assertThat(admitted).isEqualTo(20);
    }

    @Test
    void guesses_at_a_throttled_user_from_many_addresses_make_the_store_track_nothing_new() {
        for (int i = 0; i < 5; i++) {
            assertThat(throttle.tryAcquire("alice", "203.0.113.7")).isTrue();
        }
        int admitted = 0;
        for (int i = 0; i < 1_000; i++) {
            // refused without a password check: each must not leave a row for its address behind
            admitted += throttle.tryAcquire("alice", "10.0." + (i / 250) + "." + (i % 250)) ? 1 : 0;
        }

        assertThat(admitted).isZero();
        assertThat(throttle.trackedKeys()).isEqualTo(2);
    }
}
