package io.gatehouse.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.gateway.TestUpstreams;
import io.gatehouse.gateway.UpstreamCall;
import io.gatehouse.gateway.UpstreamConfig;
import io.gatehouse.gateway.UpstreamException;
import io.gatehouse.gateway.UpstreamHealth;
import io.gatehouse.gateway.UpstreamListener;
import io.gatehouse.gateway.UpstreamSession;
import io.gatehouse.mcp.internal.json.Json;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** A supervised stdio child (a tiny Node upstream): its environment, timeouts, size limit, crash and restart. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("gateway")
class StdioSupervisionTest {

    private static final Path SCRIPT = TestUpstreams.resource("tiny-upstream.mjs");

    private static UpstreamConfig tiny() {
        return UpstreamConfig.stdio("tiny", List.of(TestUpstreams.node().toString(), SCRIPT.toString()))
                .withTimeout(Duration.ofSeconds(3));
    }

    private static StdioUpstream upstream(UpstreamConfig config) {
        Map<String, String> gatehouseEnv = new HashMap<>(System.getenv());
        gatehouseEnv.put("GATEHOUSE_DB_PASSWORD", "db-secret");
        gatehouseEnv.put("GATEHOUSE_CLIENT_SECRET", "client-secret");
        gatehouseEnv.put("KEYCLOAK_CLIENT_SECRET", "kc-secret");
        return new StdioUpstream(config, gatehouseEnv, Clock.systemUTC());
    }

    private static UpstreamCall call(UpstreamSession session, String tool) {
        return session.request("tools/call", Json.object().put("name", tool));
    }

    private static UpstreamException failure(UpstreamCall call) {
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> call.result().get(30, TimeUnit.SECONDS));
        assertThat(e.getCause()).isInstanceOf(UpstreamException.class);
        return (UpstreamException) e.getCause();
    }

    @Test
    @Tag("attack")
    void the_child_gets_only_the_configured_variables_and_what_a_process_needs_never_gatehouse_settings(@TempDir Path dir)
            throws Exception {
        try (StdioUpstream upstream = upstream(tiny().withEnv(Map.of("UPSTREAM_MODE", "test")).withCwd(dir));
             UpstreamSession session = upstream.openSession(Json.object(), null)) {
            JsonNode result = call(session, "env").result().get(30, TimeUnit.SECONDS);

            JsonNode env = Json.MAPPER.readTree(result.path("content").path(0).path("text").asString());
            assertThat(env.propertyNames()).noneMatch(name -> name.startsWith("GATEHOUSE_"))
                    .doesNotContain("KEYCLOAK_CLIENT_SECRET")
                    .contains("UPSTREAM_MODE", "PATH");
            assertThat(env.propertyNames()).allMatch(name -> name.equals("UPSTREAM_MODE")
                    || ChildEnvironment.INHERITED.contains(name));
            assertThat(Path.of(result.path("cwd").asString()).toRealPath()).isEqualTo(dir.toRealPath());
        }
    }

    @Test
    void a_request_the_upstream_never_answers_fails_with_a_timeout_naming_the_upstream() throws Exception {
        try (StdioUpstream upstream = upstream(tiny().withTimeout(Duration.ofMillis(1500)));
             UpstreamSession session = upstream.openSession(Json.object(), null)) {
            session.initialize().get(30, TimeUnit.SECONDS);

            UpstreamException e = failure(call(session, "hang"));

            assertThat(e.kind()).isEqualTo(UpstreamException.Kind.TIMEOUT);
            assertThat(e.code()).isEqualTo(UpstreamException.REQUEST_TIMEOUT);
            assertThat(e.getMessage()).isEqualTo("upstream 'tiny' did not answer tools/call within 1500 ms");
            assertThat(session.ended()).isFalse();
        }
    }

    @Test
    @Tag("attack")
    void requests_to_a_child_that_stopped_reading_its_input_are_refused_once_a_bounded_backlog_is_full() throws Exception {
        try (StdioUpstream upstream = upstream(tiny().withMaxMessageBytes(65536).withTimeout(Duration.ofSeconds(5)));
             UpstreamSession session = upstream.openSession(Json.object(), null)) {
            session.initialize().get(30, TimeUnit.SECONDS);
            call(session, "deaf");
            String big = "x".repeat(60_000);

            List<UpstreamCall> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) { // 720 kB: far more than the pipe and the backlog of 2 x 64 KiB hold
                calls.add(session.request("tools/call", Json.object().put("name", "echo").put("text", big)));
            }

            UpstreamException refused = failure(calls.getLast());
            assertThat(refused.kind()).isEqualTo(UpstreamException.Kind.UNAVAILABLE);
            assertThat(refused.getMessage()).isEqualTo("upstream 'tiny' is not reading its input; request refused");
        }
    }

    @Test
    @Tag("attack")
    void an_oversized_message_is_refused_and_ends_the_session() throws Exception {
        CompletableFuture<String> ended = new CompletableFuture<>();
        UpstreamListener listener = new UpstreamListener() {
            @Override
            public void onEnded(String reason) {
                ended.complete(reason);
            }
        };
        try (StdioUpstream upstream = upstream(tiny().withMaxMessageBytes(4096));
             UpstreamSession session = upstream.openSession(Json.object(), listener)) {
            session.initialize().get(30, TimeUnit.SECONDS);

            UpstreamException e = failure(call(session, "big"));

            assertThat(e.kind()).isEqualTo(UpstreamException.Kind.OVERSIZED);
            assertThat(e.getMessage()).contains("larger than 4096 bytes");
            assertThat(ended.get(30, TimeUnit.SECONDS)).contains("larger than 4096 bytes");
            assertThat(session.ended()).isTrue();
        }
    }

    @Test
    void a_child_killed_mid_call_fails_the_call_ends_its_session_and_the_next_one_starts_after_a_backoff() throws Exception {
        CompletableFuture<String> ended = new CompletableFuture<>();
        AtomicReference<UpstreamCall> running = new AtomicReference<>();
        CompletableFuture<Boolean> callPendingWhenEnded = new CompletableFuture<>();
        UpstreamListener listener = new UpstreamListener() {
            @Override
            public void onEnded(String reason) {
                callPendingWhenEnded.complete(!running.get().result().isDone());
                ended.complete(reason);
            }
        };
        try (StdioUpstream upstream = upstream(tiny().withTimeout(Duration.ofSeconds(10)))) {
            UpstreamSession first = upstream.openSession(Json.object(), listener);
            first.initialize().get(30, TimeUnit.SECONDS);
            UpstreamCall slow = call(first, "slow");
            running.set(slow);
            childRunning(SCRIPT).destroyForcibly();

            UpstreamException e = failure(slow);
            // the listener (the client session) hears of the end before the call fails: whoever the failure reaches
            // and asks again finds the session ended
            assertThat(callPendingWhenEnded.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(e.kind()).isEqualTo(UpstreamException.Kind.SESSION_ENDED);
            assertThat(e.getMessage()).startsWith("upstream 'tiny' exited with code");
            assertThat(ended.get(30, TimeUnit.SECONDS)).startsWith("upstream 'tiny' exited with code");
            UpstreamHealth down = upstream.health();
            assertThat(down.state()).isEqualTo(UpstreamHealth.State.DOWN);
            assertThat(down.consecutiveFailures()).isEqualTo(1);
            assertThat(down.lastError()).hasValueSatisfying(error -> assertThat(error).contains("exited"));
            assertThat(HealthTracker.backoff(down.consecutiveFailures())).isEqualTo(Duration.ofSeconds(1));

            try (UpstreamSession second = upstream.openSession(Json.object(), null)) {
                assertThat(call(second, "env").result().get(30, TimeUnit.SECONDS).has("content")).isTrue();
            }
            assertThat(upstream.health().state()).isEqualTo(UpstreamHealth.State.UP);
            assertThat(upstream.health().consecutiveFailures()).isZero();
        }
    }

    @Test
    void a_command_that_cannot_start_fails_fast_with_a_clear_error() {
        UpstreamConfig config = UpstreamConfig.stdio("missing", List.of("/nonexistent/gatehouse-test-upstream"));
        try (StdioUpstream upstream = upstream(config); UpstreamSession session = upstream.openSession(Json.object(), null)) {
            UpstreamException e = failure(call(session, "env"));

            assertThat(e.kind()).isEqualTo(UpstreamException.Kind.UNAVAILABLE);
            assertThat(e.getMessage()).startsWith("cannot start upstream 'missing'");
            assertThat(upstream.health().state()).isEqualTo(UpstreamHealth.State.DOWN);
        }
    }

    @Test
    void no_more_children_than_max_sessions_run_at_once() throws Exception {
        try (StdioUpstream upstream = upstream(tiny().withMaxSessions(1));
             UpstreamSession first = upstream.openSession(Json.object(), null);
             UpstreamSession second = upstream.openSession(Json.object(), null)) {
            first.initialize().get(30, TimeUnit.SECONDS);

            UpstreamException e = failure(call(second, "env"));

            assertThat(e.kind()).isEqualTo(UpstreamException.Kind.UNAVAILABLE);
            assertThat(e.getMessage()).contains("max-sessions");
        }
    }

    private static ProcessHandle childRunning(Path script) {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(script.toString())).orElse(false))
                .findFirst().orElseThrow();
    }

    @Test
    void a_call_cancelled_by_gatehouse_fails_at_once_and_the_upstream_is_told() throws Exception {
        try (StdioUpstream upstream = upstream(tiny()); UpstreamSession session = upstream.openSession(Json.object(), null)) {
            session.initialize().get(30, TimeUnit.SECONDS);
            UpstreamCall slow = call(session, "slow");

            slow.cancel("the client cancelled");

            UpstreamException e = failure(slow);
            assertThat(e.kind()).isEqualTo(UpstreamException.Kind.CANCELLED);
            JsonNode seen = null;
            for (int i = 0; i < 100; i++) {
                JsonNode result = call(session, "cancellations").result().get(30, TimeUnit.SECONDS);
                seen = Json.MAPPER.readTree(result.path("content").path(0).path("text").asString());
                if (!seen.isEmpty()) {
                    break;
                }
                Thread.sleep(50);
            }
            assertThat(seen).isNotNull();
            assertThat(seen.valueStream().map(JsonNode::asLong)).containsExactly(slow.id());
        }
    }

    @Test
    void a_request_the_upstream_cancels_is_cancelled_at_the_listener_and_not_answered() throws Exception {
        CompletableFuture<JsonNode> pendingAnswer = new CompletableFuture<>();
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        UpstreamListener listener = new UpstreamListener() {
            @Override
            public CompletableFuture<JsonNode> onRequest(String method, tools.jackson.databind.node.ObjectNode params) {
                asked.add(method);
                return pendingAnswer;
            }
        };
        try (StdioUpstream upstream = upstream(tiny()); UpstreamSession session = upstream.openSession(Json.object(), listener)) {
            JsonNode result = call(session, "ask-then-cancel").result().get(30, TimeUnit.SECONDS);

            assertThat(result.path("content").path(0).path("text").asString()).isEqualTo("asked and cancelled");
            assertThat(asked).containsExactly("sampling/createMessage");
            assertThat(pendingAnswer).isCancelled();
        }
    }

    @Test
    void progress_on_a_request_restarts_its_timeout() throws Exception {
        try (StdioUpstream upstream = upstream(tiny().withTimeout(Duration.ofMillis(1500)));
             UpstreamSession session = upstream.openSession(Json.object(), null)) {
            tools.jackson.databind.node.ObjectNode params = Json.object().put("name", "steady");
            params.putObject("_meta").put("progressToken", 99);

            JsonNode result = session.request("tools/call", params).result().get(30, TimeUnit.SECONDS);

            assertThat(result.path("content").path(0).path("text").asString()).isEqualTo("steady done");
        }
    }
}
