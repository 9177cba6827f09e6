package io.gatehouse.mcp.internal.server;

import static io.gatehouse.mcp.internal.server.Modern.retry;
import static io.gatehouse.mcp.internal.server.Wire.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.context.InputRequest;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcError;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcErrorCodes;
import io.gatehouse.mcp.internal.mrtr.InputRound;
import io.gatehouse.mcp.internal.mrtr.RequestStateKey;
import io.gatehouse.mcp.prompts.Prompt;
import io.gatehouse.mcp.prompts.PromptMessage;
import io.gatehouse.mcp.prompts.PromptResult;
import io.gatehouse.mcp.tools.Tool;
import io.gatehouse.mcp.tools.ToolResult;
import io.gatehouse.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * {@code requestState} is attacker-controlled (M-4): a state that was altered, is presented by another principal,
 * has expired, or belongs to another method or other arguments is refused with {@code -32602}, and the handler does
 * not run with its answers (M-5).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("attack")
@Tag("M-4")
@Tag("M-5")
class RequestStateAttackTest {

    private static final String ANSWER = "{\"confirm\": {\"action\": \"accept\", \"content\": {\"ok\": true}}}";
    private static final Caller ALICE = new Caller("https://as.example", "alice", "alice", "c", Set.of(), Set.of(), Instant.MAX);
    private static final Caller MALLORY = new Caller("https://as.example", "mallory", "mallory", "c", Set.of(), Set.of(), Instant.MAX);
    private static final Caller ALICE_ELSEWHERE = new Caller("https://other.example", "alice", "alice", "c", Set.of(), Set.of(), Instant.MAX);
    private static final Caller ALICE_IN_ANOTHER_CLIENT = new Caller("https://as.example", "alice", "alice", "other-client", Set.of(),
            Set.of(), Instant.MAX);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));

    private McpServer server(RequestStateKey key) {
        return McpServer.builder("t", "1").clock(clock).requestStateKey(key)
                .tool(Tool.builder("transfer").inputSchema("{\"type\":\"object\",\"properties\":{\"amount\":{\"type\":\"integer\"}}}")
                        .handler((args, ctx) -> ToolResult.text(confirmTwice(ctx) + " " + args.path("amount").asInt())))
                .prompt(Prompt.builder("transfer").handler((args, ctx) -> PromptResult.of(null,
                        PromptMessage.user(confirmTwice(ctx)))))
                .build();
    }

    /** Two rounds, so that the second run takes the first answer from the state. */
    private static String confirmTwice(io.gatehouse.mcp.context.RequestContext ctx) {
        ObjectNode schema = (ObjectNode) json("{\"type\":\"object\",\"properties\":{\"ok\":{\"type\":\"boolean\"}}}");
        ctx.ask("confirm", InputRequest.elicit("Sure?", schema));
        ctx.ask("really", InputRequest.elicit("Really sure?", schema));
        return "confirmed";
    }

    private final Modern modern = new Modern(server(RequestStateKey.ephemeral()));

    /** Alice's state after her first answer: it holds that answer, sealed. */
    private JsonNode aliceSecondRound(String call) {
        JsonNode round1 = modern.result(ALICE, Modern.ALL_CAPABILITIES, "tools/call", call);
        JsonNode round2 = modern.result(ALICE, Modern.ALL_CAPABILITIES, "tools/call", retry(call, round1, ANSWER));
        assertThat(round2.get("inputRequests").propertyNames()).containsExactly("really");
        return round2;
    }

    private static final String REALLY = "{\"really\": {\"action\": \"accept\", \"content\": {\"ok\": true}}}";

    private static void assertRefused(JsonRpcError error) {
        assertThat(error.code()).isEqualTo(JsonRpcErrorCodes.INVALID_PARAMS);
        assertThat(error.message()).startsWith("Invalid requestState");
    }

    @Test
    void the_genuine_state_completes_the_request() {
        String call = "{\"name\": \"transfer\", \"arguments\": {\"amount\": 10}}";
        JsonNode round2 = aliceSecondRound(call);

        JsonNode done = modern.result(ALICE, Modern.ALL_CAPABILITIES, "tools/call", retry(call, round2, REALLY));

        assertThat(done.get("content").get(0).get("text").stringValue()).isEqualTo("confirmed 10");
    }

    @Test
    void a_tampered_state_is_refused() {
        String call = "{\"name\": \"transfer\", \"arguments\": {\"amount\": 10}}";
        String state = aliceSecondRound(call).get("requestState").stringValue();

        for (String tampered : new String[] {state + "-TAMPERED", state.substring(0, state.length() - 1)
                + (state.endsWith("A") ? "B" : "A"), state.substring(0, 20), "gh1.", "", "{\"a\":{}}"}) {
            ObjectNode fake = (ObjectNode) json("{}");
            fake.set("requestState", StringNode.valueOf(tampered));
            JsonRpcError error = modern.error(ALICE, Modern.ALL_CAPABILITIES, "tools/call", retry(call, fake, REALLY));
            assertRefused(error);
            assertThat(error.message()).doesNotContain(tampered.isEmpty() ? "\u0000" : tampered);
        }
    }

    @Test
    void a_state_replayed_by_another_user_is_refused() {
        String call = "{\"name\": \"transfer\", \"arguments\": {\"amount\": 10}}";
        JsonNode round2 = aliceSecondRound(call);

        assertRefused(modern.error(MALLORY, Modern.ALL_CAPABILITIES, "tools/call", retry(call, round2, REALLY)));
        assertRefused(modern.error(ALICE_ELSEWHERE, Modern.ALL_CAPABILITIES, "tools/call", retry(call, round2, REALLY)));
        assertRefused(modern.error(Caller.anonymous(), Modern.ALL_CAPABILITIES, "tools/call", retry(call, round2, REALLY)));
    }

    @Test
    void a_state_presented_by_another_client_of_the_same_user_is_refused() {
        String call = "{\"name\": \"transfer\", \"arguments\": {\"amount\": 10}}";
        JsonNode round2 = aliceSecondRound(call);

        assertRefused(modern.error(ALICE_IN_ANOTHER_CLIENT, Modern.ALL_CAPABILITIES, "tools/call", retry(call, round2, REALLY)));
    }

    @Test
    void an_expired_state_is_refused() {
        String call = "{\"name\": \"transfer\", \"arguments\": {\"amount\": 10}}";
        JsonNode round2 = aliceSecondRound(call);

        clock.advance(InputRound.STATE_LIFETIME.plus(Duration.ofSeconds(1)));

        assertRefused(modern.error(ALICE, Modern.ALL_CAPABILITIES, "tools/call", retry(call, round2, REALLY)));
    }

    @Test
    void a_state_presented_on_another_method_is_refused() {
        String call = "{\"name\": \"transfer\", \"arguments\": {\"amount\": 10}}";
        JsonNode round2 = aliceSecondRound(call);

        assertRefused(modern.error(ALICE, Modern.ALL_CAPABILITIES, "prompts/get",
                retry("{\"name\": \"transfer\"}", round2, REALLY)));
    }

    @Test
    void a_state_presented_with_other_arguments_or_another_tool_is_refused() {
        String call = "{\"name\": \"transfer\", \"arguments\": {\"amount\": 10}}";
        JsonNode round2 = aliceSecondRound(call);

        assertRefused(modern.error(ALICE, Modern.ALL_CAPABILITIES, "tools/call",
                retry("{\"name\": \"transfer\", \"arguments\": {\"amount\": 10000}}", round2, REALLY)));
        assertRefused(modern.error(ALICE, Modern.ALL_CAPABILITIES, "tools/call",
                retry("{\"name\": \"transfer\"}", round2, REALLY)));
    }

    @Test
    void a_state_sealed_by_a_server_with_another_key_is_refused() {
        String call = "{\"name\": \"transfer\", \"arguments\": {\"amount\": 10}}";
        JsonNode round2 = aliceSecondRound(call);
        Modern otherNode = new Modern(server(RequestStateKey.ephemeral()));

        assertRefused(otherNode.error(ALICE, Modern.ALL_CAPABILITIES, "tools/call", retry(call, round2, REALLY)));
    }

    @Test
    void a_state_that_is_not_a_string_is_invalid_params() {
        JsonRpcError error = modern.error(ALICE, Modern.ALL_CAPABILITIES, "tools/call",
                "{\"name\": \"transfer\", \"requestState\": {\"a\": {\"confirm\": {}}}}");

        assertThat(error.code()).isEqualTo(JsonRpcErrorCodes.INVALID_PARAMS);
    }
}
