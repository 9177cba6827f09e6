package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.server.internal.auth.LocalKeys;
import io.gatehouse.server.internal.auth.TokenMinter;
import io.gatehouse.server.internal.logging.LogFormat;
import io.gatehouse.server.internal.logging.SafePatternLayoutEncoder;
import io.gatehouse.testkit.McpReply;
import io.gatehouse.testkit.McpTestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code --log-format json} (issue 15, point 4): every line Gatehouse writes is one JSON object; a line logged while
 * a request is served carries the request id the response's {@code X-Request-Id} shows and, for a valid W3C
 * {@code traceparent}, its trace id; the audit line keeps its fields. One Gatehouse (local-keys) for the class; each
 * test captures what the console would show while it makes its requests.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class JsonLogsTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

    @TempDir
    static Path data;
    static RunningGatehouse gatehouse;
    static String aliceToken;

    @BeforeAll
    static void start() throws Exception {
        gatehouse = RunningGatehouse.start("auth", "local-keys", "data-dir", data.toString(), "log-format", "json");
        TokenMinter minter = new TokenMinter(LocalKeys.readPrivateKey(data.resolve("keys").resolve(LocalKeys.PRIVATE_KEY_FILE)));
        TokenMinter.Grant alice = TokenMinter.demoGrants().stream().filter(g -> g.username().equals("alice")).findFirst().orElseThrow();
        aliceToken = minter.mint(alice, "http://localhost:" + gatehouse.gatehouse.port(), List.of(gatehouse.mcpUrl().toString()),
                Duration.ofMinutes(5), Instant.now());
    }

    @AfterAll
    static void stop() throws Exception {
        gatehouse.close();
        assertThat(((SafePatternLayoutEncoder) CapturedLog.consoleEncoder()).format())
                .as("a stopped Gatehouse gives the console its format back").isEqualTo(LogFormat.TEXT);
    }

    McpTestClient alice() {
        return gatehouse.client().header("Authorization", "Bearer " + aliceToken).initialize();
    }

    static List<JsonNode> parsed(String log) {
        assertThat(log).isNotBlank();
        return log.lines().map(line -> {
            JsonNode node = JSON.readTree(line);
            assertThat(node.isObject()).as(line).isTrue();
            return node;
        }).toList();
    }

    @Test
    void every_line_is_a_json_object_and_the_lines_of_a_request_carry_the_id_its_response_shows_and_the_trace_id() throws Exception {
        McpReply allowed;
        List<JsonNode> lines;
        try (CapturedLog log = new CapturedLog()) {
            allowed = alice().header("traceparent", TRACEPARENT).call("tools/call", Map.of("name", "echo", "arguments", Map.of("message", "hi")));
            lines = parsed(log.text());
        }

        assertThat(allowed.status()).isEqualTo(200);
        String requestId = allowed.header("X-Request-Id").orElseThrow();
        assertThat(requestId).matches("[0-9a-f]{32}");
        assertThat(lines).allSatisfy(line -> assertThat(line.propertyNames()).contains("timestamp", "level", "logger", "thread", "message"));
        List<JsonNode> ofRequest = lines.stream().filter(l -> l.path("request_id").asString("").equals(requestId)).toList();
        assertThat(ofRequest).as("the audit line of the call").anySatisfy(line -> {
            assertThat(line.path("logger").asString()).isEqualTo("gatehouse.audit");
            assertThat(line.path("level").asString()).isEqualTo("INFO");
            assertThat(line.path("message").asString()).startsWith("allowed sub=user_alice client=").endsWith(" method=tools/call target=echo");
            assertThat(line.path("trace_id").asString()).isEqualTo(TRACE_ID);
            assertThat(line.path("timestamp").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        });
        assertThat(ofRequest).allSatisfy(line -> assertThat(line.path("trace_id").asString()).isEqualTo(TRACE_ID));
        assertThat(lines).as("every line written while serving a request names its request").allSatisfy(line ->
                assertThat(line.path("request_id").isString()).as(line.toString()).isTrue());
    }

    @Test
    void a_denied_call_keeps_its_audit_fields_and_an_invalid_traceparent_is_ignored() throws Exception {
        McpReply denied;
        List<JsonNode> lines;
        try (CapturedLog log = new CapturedLog()) {
            denied = alice().header("traceparent", "00-" + "0".repeat(32) + "-00f067aa0ba902b7-01")
                    .call("tools/call", Map.of("name", "server_info", "arguments", Map.of()));
            lines = parsed(log.text());
        }

        assertThat(denied.status()).isEqualTo(403);
        String requestId = denied.header("X-Request-Id").orElseThrow();
        assertThat(lines).filteredOn(l -> l.path("request_id").asString("").equals(requestId)).anySatisfy(line -> {
            assertThat(line.path("logger").asString()).isEqualTo("gatehouse.audit");
            assertThat(line.path("message").asString()).startsWith("denied sub=user_alice client=")
                    .contains(" method=tools/call target=server_info: ", "requires the role admin");
        });
        assertThat(lines).allSatisfy(line -> assertThat(line.has("trace_id")).as(line.toString()).isFalse());
    }

    @Test
    void a_safe_request_id_from_a_proxy_is_kept_and_anything_else_is_replaced() {
        McpReply kept = gatehouse.client().header("X-Request-Id", "proxy-req.42_A").call("ping", Map.of());
        McpReply replaced = gatehouse.client().header("X-Request-Id", "x".repeat(65)).call("ping", Map.of());
        McpReply forged = gatehouse.client().header("X-Request-Id", "a b\"}").call("ping", Map.of());

        assertThat(kept.header("X-Request-Id")).contains("proxy-req.42_A");
        assertThat(replaced.header("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]{32}"));
        assertThat(forged.header("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]{32}"));
    }

    @Test
    void a_value_with_line_breaks_separators_and_bidi_controls_stays_inside_one_json_line() throws Exception {
        String forged = "eve\n{\"level\":\"INFO\"}\u2028\u202e\u0085";
        McpReply reply;
        String text;
        try (CapturedLog log = new CapturedLog()) {
            reply = alice().call("tools/call", Map.of("name", forged, "arguments", Map.of()));
            text = log.text();
        }

        assertThat(reply.status()).isLessThan(500);
        assertThat(text).doesNotContain("\u2028", "\u202e", "\u0085", "\r");
        List<JsonNode> lines = parsed(text);
        assertThat(lines).anySatisfy(line -> assertThat(line.path("message").asString())
                .contains("eve\\n{\"level\":\"INFO\"}\\u2028\\u202e\\u0085"));
    }
}
