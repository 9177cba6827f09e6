package io.gatehouse.as.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.as.store.AsStores;
import io.gatehouse.as.store.InMemoryKeyStore;
import io.gatehouse.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The login throttle reserves attempts atomically and keeps a bounded table whatever usernames it is sent. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LoginThrottleTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final LoginThrottle throttle = new LoginThrottle(5, Duration.ofMinutes(5), clock,
            AsStores.inMemory(new InMemoryKeyStore()).loginAttempts());

    @Test
    @Tag("SEC10-9")
    void concurrent_attempts_admit_at_most_the_limit() throws Exception {
        int threads = 64;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < threads; i++) {
                Callable<Boolean> attempt = () -> {
                    go.await(10, TimeUnit.SECONDS);
                    return throttle.tryAcquire("alice", "10.0.0." + Thread.currentThread().threadId() % 250);
                };
                results.add(pool.submit(attempt));
            }
            go.countDown();
        }

        long admitted = 0;
        for (Future<Boolean> result : results) {
            admitted += result.get() ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(5);
    }

    @Test
    void a_success_forgives_the_user_and_releases_its_own_reservation_from_the_address() {
        for (int i = 0; i < 4; i++) {
            assertThat(throttle.tryAcquire("alice", "10.0.0.1")).isTrue();
        }
        assertThat(throttle.tryAcquire("alice", "10.0.0.1")).isTrue();
        throttle.succeeded("alice", "10.0.0.1");

        for (int i = 0; i < 5; i++) {
            assertThat(throttle.tryAcquire("alice", "10.0.0.1")).isTrue();
        }
        assertThat(throttle.tryAcquire("alice", "10.0.0.1")).isFalse();
    }

    @Test
    void one_address_gets_four_times_the_user_limit_across_usernames() {
        int admitted = 0;
        for (int i = 0; i < 100; i++) {
            admitted += throttle.tryAcquire("user" + i, "10.0.0.1") ? 1 : 0;
        }

        assertThat(admitted).isEqualTo(20);
    }

    @Test
    void the_window_passing_lifts_the_limit() {
        for (int i = 0; i < 5; i++) {
            throttle.tryAcquire("alice", "10.0.0.1");
        }
        assertThat(throttle.tryAcquire("alice", "10.0.0.1")).isFalse();

        clock.advance(Duration.ofMinutes(6));

        assertThat(throttle.tryAcquire("alice", "10.0.0.1")).isTrue();
    }

    @Test
    @Tag("SEC10-5")
    void the_table_is_bounded_whatever_usernames_and_addresses_are_sent() {
        for (int i = 0; i < 150_000; i++) {
            throttle.tryAcquire("user-" + i + "-" + "x".repeat(150), "2001:db8::" + Integer.toHexString(i));
        }

        assertThat(throttle.trackedKeys()).isLessThanOrEqualTo(100_000);
    }
}
