package io.gatehouse.server.internal.downstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.context.DownstreamToken;
import io.gatehouse.mcp.context.DownstreamTokenException;
import io.gatehouse.mcp.context.SubjectToken;
import io.gatehouse.server.internal.config.DownstreamConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The cache behind {@code ctx.downstreamToken}: one exchange per caller token and downstream until 30 s before the
 * exchanged token expires, then a fresh one without the tool noticing; failures as {@link DownstreamTokenException}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("issue-17")
class DownstreamTokenServiceTest {

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-11-27T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final MovingClock clock = new MovingClock();
    final List<String> exchanged = new CopyOnWriteArrayList<>();
    final TokenSource source = (subject, audience, scopes) -> {
        exchanged.add(subject.value());
        return new DownstreamToken("downstream-" + exchanged.size(), audience, clock.instant().plus(Duration.ofMinutes(5)));
    };
    final DownstreamTokenService service = DownstreamTokenService.of(
            Map.of("reports", new DownstreamConfig("reports", "reports-api", Optional.empty(), new DownstreamConfig.Embedded("c"))),
            Map.of("reports", source), clock);

    static Caller caller(String subject, String token) {
        return new Caller("https://issuer", subject, subject, "client", Set.of("mcp:read"), Set.of(), Instant.MAX)
                .withSubjectToken(SubjectToken.of(token));
    }

    @Test
    void a_token_is_reused_until_30_seconds_before_it_expires_then_replaced_transparently() {
        Caller alice = caller("alice", "alice-mcp-token");
        DownstreamToken first = service.token(alice, "reports");
        clock.now = clock.now.plus(Duration.ofMinutes(4)).plusSeconds(29);
        assertThat(service.token(alice, "reports")).isEqualTo(first);
        assertThat(service.exchanges()).isEqualTo(1);
        clock.now = clock.now.plusSeconds(2);
        DownstreamToken second = service.token(alice, "reports");
        assertThat(second.value()).isNotEqualTo(first.value());
        assertThat(service.exchanges()).isEqualTo(2);
        assertThat(exchanged).containsExactly("alice-mcp-token", "alice-mcp-token");
    }

    @Test
    void each_caller_token_gets_its_own_exchange() {
        DownstreamToken alice = service.token(caller("alice", "alice-mcp-token"), "reports");
        DownstreamToken bob = service.token(caller("bob", "bob-mcp-token"), "reports");
        DownstreamToken aliceRefreshed = service.token(caller("alice", "alice-new-mcp-token"), "reports");
        assertThat(List.of(alice.value(), bob.value(), aliceRefreshed.value())).doesNotHaveDuplicates();
        assertThat(exchanged).containsExactly("alice-mcp-token", "bob-mcp-token", "alice-new-mcp-token");
    }

    @Test
    void an_unknown_downstream_and_an_anonymous_caller_are_refused_with_a_readable_message() {
        assertThatThrownBy(() -> service.token(caller("alice", "t"), "billing")).isInstanceOf(DownstreamTokenException.class)
                .hasMessageContaining("no downstream API named 'billing'");
        assertThatThrownBy(() -> service.token(Caller.anonymous(), "reports")).isInstanceOf(DownstreamTokenException.class)
                .hasMessageContaining("no user token");
        assertThat(exchanged).isEmpty();
    }

    @Test
    void a_refusal_names_the_downstream_and_is_not_cached() {
        List<Integer> calls = new CopyOnWriteArrayList<>();
        DownstreamTokenService refusing = DownstreamTokenService.of(
                Map.of("reports", new DownstreamConfig("reports", "reports-api", Optional.empty(), new DownstreamConfig.Embedded("c"))),
                Map.of("reports", (TokenSource) (subject, audience, scopes) -> {
                    calls.add(1);
                    throw new DownstreamTokenException("the authorization server refused the token exchange: invalid_target");
                }), clock);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> refusing.token(caller("alice", "t"), "reports")).isInstanceOf(DownstreamTokenException.class)
                    .hasMessageContaining("'reports'").hasMessageContaining("invalid_target");
        }
        assertThat(calls).hasSize(2);
    }

    @Test
    void an_unexpected_failure_of_the_issuer_is_still_a_readable_tool_error() {
        DownstreamTokenService failing = DownstreamTokenService.of(
                Map.of("reports", new DownstreamConfig("reports", "reports-api", Optional.empty(), new DownstreamConfig.Embedded("c"))),
                Map.of("reports", (TokenSource) (subject, audience, scopes) -> {
                    throw new IllegalStateException("database closed");
                }), clock);
        assertThatThrownBy(() -> failing.token(caller("alice", "t"), "reports")).isInstanceOf(DownstreamTokenException.class)
                .hasMessageContaining("'reports'").hasMessageContaining("failed unexpectedly");
    }

    @Test
    @Tag("attack")
    void neither_token_shows_in_to_string() {
        Caller alice = caller("alice", "alice-mcp-token");
        DownstreamToken token = service.token(alice, "reports");
        assertThat(alice.toString()).doesNotContain("alice-mcp-token");
        assertThat(token.toString()).doesNotContain(token.value()).contains("reports-api");
    }
}
