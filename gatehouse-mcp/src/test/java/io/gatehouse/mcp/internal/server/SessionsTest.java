package io.gatehouse.mcp.internal.server;

import io.gatehouse.mcp.context.Caller;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SessionsTest {

    private static final Duration IDLE = Duration.ofMinutes(5);

    private final MutableClock clock = new MutableClock(Instant.parse("2025-11-25T12:00:00Z"));
    private final Sessions sessions = new Sessions(IDLE, 10_000, 10_000, clock);

    private static Caller caller(String issuer, String subject, String username) {
        return new Caller(issuer, subject, username, "client", Set.of("mcp"), Set.of(), Instant.MAX);
    }

    @Test
    @Tag("T-12")
    void session_ids_are_at_least_43_characters_of_visible_ascii() {
        for (int i = 0; i < 50; i++) {
            String id = sessions.create(Caller.anonymous(), Wire.LATEST).id().orElseThrow();

            assertThat(id).hasSizeGreaterThanOrEqualTo(43);
            assertThat(id.chars()).allMatch(c -> c >= 0x21 && c <= 0x7E);
        }
    }

    @Test
    @Tag("T-12")
    void session_ids_are_distinct() {
        Set<String> ids = new HashSet<>();
        IntStream.range(0, 1000).forEach(i -> ids.add(sessions.create(Caller.anonymous(), Wire.LATEST).id().orElseThrow()));

        assertThat(ids).hasSize(1000);
        assertThat(sessions.size()).isEqualTo(1000);
    }

    @Test
    void created_session_is_found_by_its_id_and_is_not_transient() {
        McpSession session = sessions.create(Caller.anonymous(), "2025-06-18");

        assertThat(sessions.find(session.id().orElseThrow())).containsSame(session);
        assertThat(session.isTransient()).isFalse();
        assertThat(session.protocolVersion()).isEqualTo("2025-06-18");
    }

    @Test
    void transient_session_has_no_id() {
        McpSession session = McpSession.transientSession(Wire.LATEST);

        assertThat(session.id()).isEmpty();
        assertThat(session.isTransient()).isTrue();
        assertThat(session.knowsClientCapabilities()).isFalse();
    }

    @Test
    void unknown_id_is_not_found() {
        assertThat(sessions.find("no-such-session")).isEmpty();
    }

    @Test
    void ended_session_is_not_found() {
        String id = sessions.create(Caller.anonymous(), Wire.LATEST).id().orElseThrow();

        assertThat(sessions.end(id)).isTrue();

        assertThat(sessions.find(id)).isEmpty();
        assertThat(sessions.end(id)).isFalse();
    }

    @Test
    void session_idle_past_the_timeout_is_not_found() {
        String id = sessions.create(Caller.anonymous(), Wire.LATEST).id().orElseThrow();

        clock.advance(IDLE.plusSeconds(1));

        assertThat(sessions.find(id)).isEmpty();
        assertThat(sessions.size()).isZero();
    }

    @Test
    void session_idle_for_less_than_the_timeout_is_still_found() {
        String id = sessions.create(Caller.anonymous(), Wire.LATEST).id().orElseThrow();

        clock.advance(IDLE.minusSeconds(1));

        assertThat(sessions.find(id)).isPresent();
    }

    @Test
    void touching_a_session_keeps_it_alive() {
        McpSession session = sessions.create(Caller.anonymous(), Wire.LATEST);

        clock.advance(IDLE.minusSeconds(10));
        session.touch();
        clock.advance(IDLE.minusSeconds(10));

        assertThat(sessions.find(session.id().orElseThrow())).containsSame(session);
    }

    @Test
    void expire_idle_ends_only_the_idle_sessions() {
        McpSession idle = sessions.create(Caller.anonymous(), Wire.LATEST);
        clock.advance(IDLE.minusSeconds(30));
        McpSession fresh = sessions.create(Caller.anonymous(), Wire.LATEST);
        clock.advance(Duration.ofSeconds(31));

        assertThat(sessions.expireIdle()).isEqualTo(1);

        assertThat(sessions.find(idle.id().orElseThrow())).isEmpty();
        assertThat(sessions.find(fresh.id().orElseThrow())).containsSame(fresh);
    }

    @Test
    void end_all_ends_every_session() {
        String a = sessions.create(Caller.anonymous(), Wire.LATEST).id().orElseThrow();
        String b = sessions.create(Caller.anonymous(), Wire.LATEST).id().orElseThrow();

        sessions.endAll();

        assertThat(sessions.size()).isZero();
        assertThat(sessions.find(a)).isEmpty();
        assertThat(sessions.find(b)).isEmpty();
    }

    @Test
    @Tag("RS-18")
    void session_is_owned_by_the_principal_that_created_it() {
        Caller alice = caller("https://idp.example", "alice-id", "alice");
        McpSession session = sessions.create(alice, Wire.LATEST);

        assertThat(session.isOwnedBy(alice)).isTrue();
        assertThat(session.isOwnedBy(caller("https://idp.example", "alice-id", "Alice renamed"))).isTrue();
    }

    @Test
    @Tag("RS-18")
    void session_is_not_owned_by_another_subject_or_the_same_subject_at_another_issuer() {
        McpSession session = sessions.create(caller("https://idp.example", "alice-id", "alice"), Wire.LATEST);

        assertThat(session.isOwnedBy(caller("https://idp.example", "bob-id", "alice"))).isFalse();
        assertThat(session.isOwnedBy(caller("https://evil.example", "alice-id", "alice"))).isFalse();
        assertThat(session.isOwnedBy(Caller.anonymous())).isFalse();
    }

    @Test
    @Tag("RS-18")
    void principal_key_cannot_be_forged_by_moving_characters_between_issuer_and_subject() {
        assertThat(caller("ab", "c", "x").principalKey()).isNotEqualTo(caller("a", "bc", "x").principalKey());
    }

    @Test
    void anonymous_session_is_owned_by_the_anonymous_caller() {
        McpSession session = sessions.create(Caller.anonymous(), Wire.LATEST);

        assertThat(session.isOwnedBy(Caller.anonymous())).isTrue();
        assertThat(session.isOwnedBy(caller("https://idp.example", "alice-id", "alice"))).isFalse();
    }
    @Test
    @Tag("attack")
    @Tag("SEC19-6")
    void a_principal_at_its_limit_ends_its_least_recently_used_session_and_no_one_elses() {
        Sessions limited = new Sessions(IDLE, 100, 3, clock);
        Caller alice = caller("https://idp.example", "alice-id", "alice");
        McpSession bobs = limited.create(caller("https://idp.example", "bob-id", "bob"), Wire.LATEST);
        McpSession first = limited.create(alice, Wire.LATEST);
        clock.advance(Duration.ofSeconds(1));
        McpSession second = limited.create(alice, Wire.LATEST);
        clock.advance(Duration.ofSeconds(1));
        McpSession third = limited.create(alice, Wire.LATEST);
        clock.advance(Duration.ofSeconds(1));
        first.touch();

        McpSession fourth = limited.create(alice, Wire.LATEST);

        assertThat(limited.find(second.id().orElseThrow())).isEmpty();
        assertThat(limited.find(first.id().orElseThrow())).containsSame(first);
        assertThat(limited.find(third.id().orElseThrow())).containsSame(third);
        assertThat(limited.find(fourth.id().orElseThrow())).containsSame(fourth);
        assertThat(limited.find(bobs.id().orElseThrow())).containsSame(bobs);
        assertThat(limited.size()).isEqualTo(4);
    }

    @Test
    @Tag("attack")
    @Tag("SEC19-6")
    void at_the_total_limit_a_new_session_is_refused_until_one_ends_or_goes_idle() {
        Sessions limited = new Sessions(IDLE, 2, 2, clock);
        McpSession a = limited.create(caller("i", "a", "a"), Wire.LATEST);
        limited.create(caller("i", "b", "b"), Wire.LATEST);

        assertThatThrownBy(() -> limited.create(caller("i", "c", "c"), Wire.LATEST)).isInstanceOf(TooManySessionsException.class);
        assertThat(limited.size()).isEqualTo(2);

        limited.end(a.id().orElseThrow());
        McpSession c = limited.create(caller("i", "c", "c"), Wire.LATEST);
        clock.advance(IDLE.plusSeconds(1));
        c.touch();
        assertThat(limited.create(caller("i", "d", "d"), Wire.LATEST).id()).isPresent();
        assertThat(limited.size()).isEqualTo(2);
    }
}
