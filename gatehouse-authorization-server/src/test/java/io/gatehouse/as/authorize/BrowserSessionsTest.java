package io.gatehouse.as.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.as.clients.Secrets;
import io.gatehouse.as.store.AsStores;
import io.gatehouse.as.store.InMemoryKeyStore;
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
    final BrowserSessions sessions = new BrowserSessions(AsStores.inMemory(new InMemoryKeyStore()).browsers(), clock);

    @Test
    @Tag("SEC10-5")
    void pending_authorizations_with_the_largest_allowed_values_stay_within_the_budget() {
        int parked = 30_000;
        for (int i = 0; i < parked; i++) {
            sessions.park(largest());
        }

        BrowserStateStore.Held held = sessions.held();
        assertThat(held.pendingBytes()).isLessThanOrEqualTo(32L << 20);
        assertThat(held.pending()).isLessThan(parked).isGreaterThan(1000);
    }

    @Test
    void a_pending_authorization_is_stored_without_its_id_and_comes_back_whole() {
        PendingAuthorization p = pending("s");
        String payload = BrowserSessions.encode(p);

        assertThat(payload).doesNotContain(p.id());
        assertThat(BrowserSessions.decode(p.id(), payload)).contains(p);
        assertThat(BrowserSessions.decode(p.id(), "{not json")).isEmpty();
    }

    @Test
    void a_pending_authorization_is_taken_once() {
        PendingAuthorization p = pending("s");
        sessions.park(p);

        assertThat(sessions.pending(Optional.of(p.id()))).contains(p);
        assertThat(sessions.done(p)).isTrue();
        assertThat(sessions.done(p)).isFalse();
        assertThat(sessions.pending(Optional.of(p.id()))).isEmpty();
    }

    @Test
    @Tag("issue-14")
    void a_session_is_found_by_its_cookie_with_the_same_csrf_token_which_the_cookie_alone_derives() {
        BrowserSessions.Session started = sessions.start("alice");

        assertThat(sessions.find(Optional.of(started.id()))).contains(started);
        assertThat(started.csrfToken()).isEqualTo(BrowserSessions.csrfToken(started.id()))
                .isNotEqualTo(Secrets.hash(started.id())).hasSize(43);
        assertThat(BrowserSessions.csrfToken(sessions.start("alice").id())).isNotEqualTo(started.csrfToken());
        assertThat(sessions.find(Optional.of(Secrets.hash(started.id())))).isEmpty();
    }

    @Test
    void an_expired_pending_authorization_is_not_found_and_is_dropped_by_clean_up() {
        PendingAuthorization p = pending("s");
        sessions.park(p);

        clock.advance(Duration.ofMinutes(11));

        assertThat(sessions.pending(Optional.of(p.id()))).isEmpty();
        sessions.cleanUp();
        assertThat(sessions.held().pending()).isZero();
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
