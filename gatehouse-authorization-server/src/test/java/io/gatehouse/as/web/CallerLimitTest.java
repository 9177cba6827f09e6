package io.gatehouse.as.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("SEC19-4")
class CallerLimitTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void a_caller_past_its_share_waits_for_the_next_window_while_others_go_on() {
        CallerLimit limit = new CallerLimit(3, 100, Duration.ofMinutes(10), 1000, clock);
        for (int i = 0; i < 3; i++) {
            assertThat(limit.admit("192.0.2.1")).isEmpty();
        }
        clock.advance(Duration.ofMinutes(4));
        assertThat(limit.admit("192.0.2.1")).contains(Duration.ofMinutes(6));
        assertThat(limit.admit("192.0.2.2")).isEmpty();
        clock.advance(Duration.ofMinutes(6));
        assertThat(limit.admit("192.0.2.1")).isEmpty();
    }

    @Test
    void everyone_together_is_bounded_too() {
        CallerLimit limit = new CallerLimit(3, 5, Duration.ofMinutes(1), 1000, clock);
        for (int i = 0; i < 5; i++) {
            assertThat(limit.admit("192.0.2." + i)).isEmpty();
        }
        assertThat(limit.admit("192.0.2.99")).isPresent();
    }

    @Test
    void an_ipv6_caller_is_its_64_network() {
        CallerLimit limit = new CallerLimit(2, 100, Duration.ofMinutes(1), 1000, clock);
        assertThat(limit.admit("2001:db8:1:2::1")).isEmpty();
        assertThat(limit.admit("[2001:db8:1:2:ffff::9]")).isEmpty();
        assertThat(limit.admit("2001:db8:1:2:abcd::7")).isPresent();
        assertThat(limit.admit("2001:db8:1:3::1")).isEmpty();
        assertThat(CallerLimit.callerOf("not:an:address:at:all:zz")).isEqualTo("not:an:address:at:all:zz");
    }

    @Test
    void the_callers_remembered_are_bounded() {
        CallerLimit limit = new CallerLimit(1, 1_000_000, Duration.ofMinutes(1), 2, clock);
        assertThat(limit.admit("192.0.2.1")).isEmpty();
        assertThat(limit.admit("192.0.2.2")).isEmpty();
        assertThat(limit.admit("192.0.2.3")).isEmpty();
        assertThat(limit.admit("192.0.2.3")).isPresent();
        assertThat(limit.admit("192.0.2.1")).as("forgotten, so counted afresh").isEmpty();
    }
}
