package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gatehouse.mcp.context.Caller;
import io.gatehouse.rs.audit.AuthAudit;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What the {@code gatehouse.audit} logger receives with {@code --audit-log all} and {@code --audit-log denials}. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AuditLogTest {

    final Logger logger = (Logger) LoggerFactory.getLogger("gatehouse.audit");
    final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    final Caller alice = new Caller("http://localhost:9000", "alice", "alice", "cli", Set.of("mcp:tools"), Set.of(), Instant.MAX);

    @BeforeEach
    void capture() {
        captured.start();
        logger.addAppender(captured);
    }

    @AfterEach
    void release() {
        logger.detachAppender(captured);
    }

    List<String> lines() {
        return captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void all_logs_allowed_and_denied_calls() {
        AuthAudit audit = new AuthAudit(new SimpleMeterRegistry(), true);
        audit.allowed(alice, "tools/call", "echo");
        audit.denied(alice, "prompts/get", "help", AuthAudit.DenialReason.INSUFFICIENT_SCOPE, "needs mcp:prompts");
        assertThat(lines()).hasSize(2);
        assertThat(lines().get(0)).startsWith("allowed sub=alice client=cli method=tools/call");
        assertThat(lines().get(1)).startsWith("denied sub=alice");
    }

    @Test
    void denials_keeps_denials_and_bad_tokens_but_still_counts_allowed_calls() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AuthAudit audit = new AuthAudit(registry, false);
        audit.allowed(alice, "tools/call", "echo");
        audit.denied(alice, "prompts/get", "help", AuthAudit.DenialReason.INSUFFICIENT_SCOPE, "needs mcp:prompts");
        audit.invalid(true, "expired");
        assertThat(lines()).hasSize(2).allSatisfy(line -> assertThat(line).doesNotStartWith("allowed"));
        assertThat(registry.get("gatehouse.auth.decisions").tag("outcome", "allowed").counter().count()).isEqualTo(1.0);
    }

    @Test
    void every_decision_is_counted_under_its_outcome_and_a_reason_from_a_fixed_set() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AuthAudit audit = new AuthAudit(registry, false);
        audit.denied(alice, "tools/call", "echo", AuthAudit.DenialReason.INSUFFICIENT_SCOPE, "needs mcp:tools");
        audit.denied(alice, "tools/call", "server_info", AuthAudit.DenialReason.MISSING_ROLE, "needs role admin");
        audit.denied(alice, "tools/call", "server_info", AuthAudit.DenialReason.MISSING_ROLE, "needs role admin");
        audit.invalid(true, "token expired");
        audit.invalid(false, "JWS rejected: bad signature for alice's token");
        audit.malformed("several Authorization headers");
        audit.missing();
        audit.unavailable("keys unreachable");

        assertThat(count(registry, "denied", "insufficient_scope")).isEqualTo(1.0);
        assertThat(count(registry, "denied", "missing_role")).isEqualTo(2.0);
        assertThat(count(registry, "invalid", "expired")).isEqualTo(1.0);
        assertThat(count(registry, "invalid", "rejected")).isEqualTo(1.0);
        assertThat(count(registry, "invalid", "malformed")).isEqualTo(1.0);
        assertThat(count(registry, "missing", "no_token")).isEqualTo(1.0);
        assertThat(count(registry, "unavailable", "verifier_unavailable")).isEqualTo(1.0);
        assertThat(count(registry, "allowed", "granted")).isZero();
        // the reasons are the fixed set, whatever the messages said: every counter existed before the first decision
        assertThat(registry.get("gatehouse.auth.decisions").counters()).hasSize(8)
                .allSatisfy(c -> assertThat(AuthAudit.REASONS.get(c.getId().getTag("outcome"))).contains(c.getId().getTag("reason")));
    }

    private static double count(SimpleMeterRegistry registry, String outcome, String reason) {
        return registry.get("gatehouse.auth.decisions").tags("outcome", outcome, "reason", reason).counter().count();
    }

    @Test
    void a_relayed_call_names_its_upstream_in_the_line_and_is_counted_per_upstream() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AuthAudit audit = new AuthAudit(registry, true);
        audit.allowed(alice, "tools/call", "files_read", Optional.of("files"));
        audit.allowed(alice, "tools/call", "files_read", Optional.of("files"));
        audit.denied(alice, "tools/call", "billing_refund", AuthAudit.DenialReason.INSUFFICIENT_SCOPE, "needs mcp:tools:refunds",
                Optional.of("billing"));
        audit.allowed(alice, "tools/call", "echo");

        assertThat(lines()).containsExactly(
                "allowed sub=alice client=cli method=tools/call target=files_read upstream=files",
                "allowed sub=alice client=cli method=tools/call target=files_read upstream=files",
                "denied sub=alice client=cli method=tools/call target=billing_refund upstream=billing: needs mcp:tools:refunds",
                "allowed sub=alice client=cli method=tools/call target=echo");
        assertThat(registry.get("gatehouse.gateway.decisions").tags("outcome", "allowed", "upstream", "files").counter().count())
                .isEqualTo(2.0);
        assertThat(registry.get("gatehouse.gateway.decisions").tags("outcome", "denied", "upstream", "billing").counter().count())
                .isEqualTo(1.0);
        assertThat(registry.get("gatehouse.auth.decisions").tag("outcome", "allowed").counter().count()).isEqualTo(3.0);
    }

    @Test
    void a_value_with_a_line_break_cannot_forge_a_second_audit_line() throws Exception {
        Caller forger = new Caller("http://localhost:9000", "eve\nINFO audit - allowed sub=admin", "eve", "cli\r",
                Set.of("mcp:tools"), Set.of(), Instant.MAX);
        AuthAudit audit = new AuthAudit(new SimpleMeterRegistry(), true);
        String written;
        try (CapturedLog log = new CapturedLog()) {
            audit.allowed(forger, "tools/call", "echo");
            audit.denied(forger, "tools/call", "ad\nmin", AuthAudit.DenialReason.MISSING_ROLE, "needs role admin");
            written = log.text();
        }
        // the logging configuration escapes control characters in every line, the audit logger's included
        assertThat(written.lines().toList()).hasSize(2);
        assertThat(written).doesNotContain("\r");
        assertThat(written.lines().toList().get(0))
                .endsWith("allowed sub=eve\\nINFO audit - allowed sub=admin client=cli\\r method=tools/call target=echo");
        assertThat(written.lines().toList().get(1)).contains("target=ad\\nmin");
    }
}
