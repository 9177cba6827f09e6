package io.gatehouse.rs.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Review of issue 11: a library server leaves logging to its application when that has a logback.xml (or another
 * backend), so Gatehouse's escaping layout is gone. A caller who names a tool "x\n... allowed sub=admin ..." must
 * still not be able to forge an audit line.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("attack")
class AuditLineAttackTest {

    @Test
    void values_from_requests_and_tokens_cannot_end_the_audit_line_whatever_the_logging_configuration() {
        String forged = "echo\n12:00:00.000 INFO  audit - allowed sub=admin client=x method=tools/call target=shutdown";
        assertThat(AuthAudit.shown(forged)).doesNotContain("\n").contains("echo\\n12:00:00.000");
        assertThat(AuthAudit.shown("a\r\u2028\u202e\u001b[31mb")).doesNotContainPattern("[\\r\\u2028\\u202e\\u001b]");
    }

    @Test
    void ordinary_values_are_shown_as_they_are() {
        String clean = "tools/call Grüße 東京";
        assertThat(AuthAudit.shown(clean)).isSameAs(clean);
        assertThat(AuthAudit.shown(null)).isEqualTo("-");
    }
}
