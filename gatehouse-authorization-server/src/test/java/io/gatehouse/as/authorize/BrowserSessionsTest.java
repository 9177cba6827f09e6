package io.gatehouse.as.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.as.clients.Secrets;
import io.gatehouse.testkit.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Pending authorizations and sessions are bounded, and expire. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BrowserSessionsTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final BrowserSessions sessions = new BrowserSessions(clock);

    @Test
    @Tag("SEC10-5")
    void pending_authorizations_with_the_largest_allowed_values_stay_within_the_budget() {
        int parked = 30_000;
        for (int i = 0; i < parked; i++) {
            sessions.park(largest());
        }

        BrowserSessions.Held held = sessions.heldPending();
        assertThat(held.bytes()).isLessThanOrEqualTo(BrowserSessions.PENDING_BUDGET_BYTES);
        assertThat(held.count()).isLessThan(parked).isGreaterThan(1000);
    }

    @Test
    void the_estimate_counts_every_character_a_pending_authorization_holds() {
        int small = BrowserSessions.retainedBytes(pending("s"));
        int large = BrowserSessions.retainedBytes(pending("s".repeat(1024)));

        assertThat(large - small).isEqualTo(2 * 1023);
    }

    @Test
    void an_expired_pending_authorization_is_not_found_and_is_dropped_by_clean_up() {
        PendingAuthorization p = pending("s");
        sessions.park(p);

        clock.advance(Duration.ofMinutes(11));

        assertThat(sessions.pending(Optional.of(p.id()))).isEmpty();
        sessions.cleanUp();
        assertThat(sessions.heldPending().count()).isZero();
    }

    private PendingAuthorization largest() {
        String redirect = "https://app.example.com/" + "p".repeat(2000 - 24);
        return new PendingAuthorization(Secrets.random(24), new PendingAuthorization.Client("c".repeat(512), "n".repeat(100),
                Set.of("mcp:read"), true), URI.create(redirect), true, Optional.of("s".repeat(1024)), "c".repeat(128),
                Set.of("mcp:read", "mcp:tools", "mcp:prompts"), URI.create("http://localhost:9000/mcp"), sessions.pendingExpiry());
    }

    private PendingAuthorization pending(String state) {
        return new PendingAuthorization(Secrets.random(24), new PendingAuthorization.Client("client", "App", Set.of(), true),
                URI.create("http://127.0.0.1:7777/callback"), true, Optional.of(state), "c".repeat(43), Set.of("mcp:read"),
                URI.create("http://localhost:9000/mcp"), sessions.pendingExpiry());
    }
}
