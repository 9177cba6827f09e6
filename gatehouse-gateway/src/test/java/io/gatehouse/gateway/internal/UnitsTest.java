package io.gatehouse.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The small parts: bounded lines, SSE events, the child environment, the restart backoff. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("gateway")
class UnitsTest {

    @Test
    @Tag("attack")
    void a_line_longer_than_the_limit_is_reported_oversized_and_the_next_line_still_reads() throws IOException {
        String input = "short\r\n" + "y".repeat(50_000) + "\nafter\n";
        BoundedLineReader lines = new BoundedLineReader(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), 100);

        assertThat(new String(lines.readLine(), StandardCharsets.UTF_8)).isEqualTo("short");
        assertThat(lines.readLine()).isSameAs(BoundedLineReader.OVERSIZED);
        assertThat(new String(lines.readLine(), StandardCharsets.UTF_8)).isEqualTo("after");
        assertThat(lines.readLine()).isNull();
    }

    @Test
    @Tag("T-08")
    void sse_events_join_data_lines_skip_comments_and_priming_events_and_bound_their_size() throws IOException {
        String stream = ": comment\n\nid: 1\ndata:\n\nid: 2\nevent: message\ndata: {\"a\":\ndata: 1}\n\ndata: " + "z".repeat(300)
                + "\n\ndata: last\n\n";
        SseReader events = new SseReader(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)), 200);

        assertThat(new String(events.next(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":\n1}");
        assertThat(events.lastEventId()).isEqualTo("2");
        assertThat(events.next()).isSameAs(BoundedLineReader.OVERSIZED);
        assertThat(new String(events.next(), StandardCharsets.UTF_8)).isEqualTo("last");
        assertThat(events.next()).isNull();
    }

    @Test
    @Tag("attack")
    void the_child_environment_keeps_only_what_a_process_needs_and_the_configured_variables() {
        Map<String, String> gatehouse = Map.of("PATH", "/usr/bin", "HOME", "/home/g", "GATEHOUSE_DB_PASSWORD", "secret",
                "AWS_SECRET_ACCESS_KEY", "aws", "LANG", "C.UTF-8");

        Map<String, String> child = ChildEnvironment.of(gatehouse, Map.of("API_MODE", "x", "GATEHOUSE_ISSUER", "sneaky"));

        assertThat(child).containsOnly(Map.entry("PATH", "/usr/bin"), Map.entry("HOME", "/home/g"),
                Map.entry("LANG", "C.UTF-8"), Map.entry("API_MODE", "x"));
    }

    @Test
    void the_restart_backoff_doubles_from_one_second_up_to_thirty() {
        assertThat(HealthTracker.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(HealthTracker.backoff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(HealthTracker.backoff(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(HealthTracker.backoff(6)).isEqualTo(Duration.ofSeconds(30));
        assertThat(HealthTracker.backoff(40)).isEqualTo(Duration.ofSeconds(30));
    }
}
