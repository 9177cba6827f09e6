package io.gatehouse.mcp.internal.server;

import static io.gatehouse.mcp.internal.server.Modern.retry;
import static io.gatehouse.mcp.internal.server.Wire.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.mcp.content.ResourceContents;
import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.context.InputRequest;
import io.gatehouse.mcp.context.RequestContext;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcError;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcErrorCodes;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import io.gatehouse.mcp.prompts.Prompt;
import io.gatehouse.mcp.prompts.PromptMessage;
import io.gatehouse.mcp.prompts.PromptResult;
import io.gatehouse.mcp.resources.Resource;
import io.gatehouse.mcp.tools.Tool;
import io.gatehouse.mcp.tools.ToolResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Multi Round-Trip Requests: one handler, written once with {@link RequestContext#ask}, served to a 2025 session with
 * server-to-client requests and to 2026-07-28 requests with {@code InputRequiredResult} and retries.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("M-1")
class McpServerMrtrTest {

    private static final String NAME_SCHEMA = "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}},\"required\":[\"name\"]}";
    private static final String COLOR_SCHEMA = "{\"type\":\"object\",\"properties\":{\"color\":{\"type\":\"string\"}},\"required\":[\"color\"]}";

    private final AtomicInteger runs = new AtomicInteger();

    /** Two rounds: the name, then the colour. */
    private static ToolResult twoQuestions(RequestContext ctx) {
        JsonNode name = ctx.ask("step1", InputRequest.elicit("What is your name?", (ObjectNode) json(NAME_SCHEMA)));
        JsonNode color = ctx.ask("step2", InputRequest.elicit("Favourite colour?", (ObjectNode) json(COLOR_SCHEMA)));
        return ToolResult.text(name.path("content").path("name").asString("") + " likes "
                + color.path("content").path("color").asString(""));
    }

    private McpServer server() {
        return McpServer.builder("t", "1")
                .tool(Tool.builder("two_questions").handler((args, ctx) -> {
                    runs.incrementAndGet();
                    return twoQuestions(ctx);
                }))
                .tool(Tool.builder("all_at_once").handler((args, ctx) -> {
                    Map<String, InputRequest> requests = new LinkedHashMap<>();
                    requests.put("user_name", InputRequest.elicit("Name?", (ObjectNode) json(NAME_SCHEMA)));
                    requests.put("greeting", InputRequest.createMessage((ObjectNode) json("""
                            {"messages":[{"role":"user","content":{"type":"text","text":"Greet"}}],"maxTokens":50}""")));
                    requests.put("client_roots", InputRequest.listRoots());
                    Map<String, JsonNode> answers = ctx.ask(requests);
                    return ToolResult.text(answers.get("user_name").path("content").path("name").asString("") + " / "
                            + answers.get("greeting").path("content").path("text").asString("") + " / "
                            + answers.get("client_roots").path("roots").size() + " root(s)");
                }))
                .tool(Tool.builder("shorthand").handler((args, ctx) -> ToolResult.text("model: "
                        + ctx.createMessage((ObjectNode) json("{\"messages\":[],\"maxTokens\":5}")).path("content").path("text").asString(""))))
                .tool(Tool.builder("only_what_the_client_can").handler((args, ctx) -> {
                    InputRequest elicit = InputRequest.elicit("Name?", (ObjectNode) json(NAME_SCHEMA));
                    InputRequest sample = InputRequest.createMessage((ObjectNode) json("{\"messages\":[],\"maxTokens\":5}"));
                    Map<String, InputRequest> asked = new LinkedHashMap<>();
                    if (ctx.canAsk(elicit)) {
                        asked.put("name", elicit);
                    }
                    if (ctx.canAsk(sample)) {
                        asked.put("sample", sample);
                    }
                    return ToolResult.text("answers: " + ctx.ask(asked).keySet());
                }))
                .tool(Tool.builder("swallower").handler((args, ctx) -> {
                    try {
                        ctx.elicit((ObjectNode) json("{\"message\":\"x\"}"));
                    } catch (RuntimeException ignored) {
                        // a careless handler: the engine must still answer InputRequiredResult
                    }
                    return ToolResult.text("went on without the answer");
                }))
                .prompt(Prompt.builder("ask_prompt").handler((args, ctx) -> PromptResult.of(null, PromptMessage.user(
                        "context: " + ctx.ask("context", InputRequest.elicit("Context?", (ObjectNode) json(
                                "{\"type\":\"object\",\"properties\":{\"context\":{\"type\":\"string\"}}}")))
                                .path("content").path("context").asString("")))))
                .resource(Resource.builder("test://asks").reader((uri, vars, ctx) -> List.of(ResourceContents.text(uri,
                        "text/plain", "roots: " + ctx.ask("roots", InputRequest.listRoots()).path("roots").size()))))
                .build();
    }

    private static String text(JsonNode result) {
        return result.get("content").get(0).get("text").stringValue();
    }

    // --- one handler, 2025 era

    @Test
    void on_a_2025_session_the_same_handler_asks_with_requests_on_the_stream_and_completes_in_one_call() {
        McpServer server = server();
        McpSession session = McpSession.transientSession(Wire.LATEST);
        List<String> asked = new java.util.ArrayList<>();
        MessageSink answeringClient = message -> {
            if (message instanceof JsonRpcMessage.Request r) {
                asked.add(r.params().path("message").asString(""));
                String answer = r.params().path("message").asString("").startsWith("What")
                        ? "{\"action\":\"accept\",\"content\":{\"name\":\"Alice\"}}"
                        : "{\"action\":\"accept\",\"content\":{\"color\":\"blue\"}}";
                server.handleClientResponse(new JsonRpcMessage.Response(r.id(), json(answer)), session);
            }
            return true;
        };

        Optional<JsonRpcMessage> response = server.handle(new JsonRpcMessage.Request(IntNode.valueOf(1), "tools/call",
                Wire.params("{\"name\": \"two_questions\"}")), session, Caller.anonymous(), answeringClient);

        assertThat(text(Wire.onWire(response.orElseThrow()).get("result"))).isEqualTo("Alice likes blue");
        assertThat(asked).containsExactly("What is your name?", "Favourite colour?");
        assertThat(runs).hasValue(1);
    }

    @Test
    void on_a_2025_session_a_request_for_an_undeclared_capability_is_an_error_result_and_nothing_is_sent() {
        Wire wire = new Wire(server());
        wire.initialize("{\"elicitation\": {}}");

        JsonNode result = wire.result("tools/call", "{\"name\": \"all_at_once\"}");

        assertThat(result.get("isError").booleanValue()).isTrue();
        assertThat(text(result)).contains("sampling");
        assertThat(wire.sent).noneMatch(JsonRpcMessage.Request.class::isInstance);
    }

    // --- the same handler, 2026-07-28

    @Test
    @Tag("M-3")
    void on_2026_the_first_call_answers_input_required_with_the_request_and_a_state() {
        Modern modern = new Modern(server());

        JsonNode result = modern.result("tools/call", "{\"name\": \"two_questions\"}");

        assertThat(result.get("resultType").stringValue()).isEqualTo("input_required");
        assertThat(result.get("inputRequests")).isEqualTo(json("""
                {"step1": {"method": "elicitation/create",
                           "params": {"message": "What is your name?", "requestedSchema": %s}}}""".formatted(NAME_SCHEMA)));
        assertThat(result.get("requestState").isString()).isTrue();
        assertThat(result.has("ttlMs")).isFalse();
    }

    @Test
    @Tag("M-3")
    void on_2026_each_retry_runs_the_handler_again_and_earlier_answers_travel_in_the_state() {
        Modern modern = new Modern(server());
        String call = "{\"name\": \"two_questions\"}";

        JsonNode round1 = modern.result("tools/call", call);
        JsonNode round2 = modern.result("tools/call", retry(call, round1, "{\"step1\": {\"action\":\"accept\",\"content\":{\"name\":\"Alice\"}}}"));
        JsonNode round3 = modern.result("tools/call", retry(call, round2, "{\"step2\": {\"action\":\"accept\",\"content\":{\"color\":\"blue\"}}}"));

        assertThat(round2.get("resultType").stringValue()).isEqualTo("input_required");
        assertThat(round2.get("inputRequests").propertyNames()).containsExactly("step2");
        assertThat(round2.get("requestState")).isNotEqualTo(round1.get("requestState"));
        assertThat(round3.has("inputRequests")).isFalse();
        assertThat(text(round3)).isEqualTo("Alice likes blue");
        assertThat(runs).hasValue(3);
        assertThat(modern.sent).noneMatch(JsonRpcMessage.Request.class::isInstance);
    }

    @Test
    @Tag("M-3")
    void on_2026_several_inputs_of_each_kind_are_requested_in_one_result_and_answered_in_one_retry() {
        Modern modern = new Modern(server());
        String call = "{\"name\": \"all_at_once\"}";

        JsonNode round1 = modern.result("tools/call", call);
        JsonNode done = modern.result("tools/call", retry(call, round1, """
                {"user_name": {"action": "accept", "content": {"name": "Alice"}},
                 "greeting": {"role": "assistant", "content": {"type": "text", "text": "Hello!"}, "model": "m"},
                 "client_roots": {"roots": [{"uri": "file:///r", "name": "R"}]}}"""));

        assertThat(round1.get("inputRequests").properties()).extracting(e -> e.getValue().get("method").stringValue())
                .containsExactly("elicitation/create", "sampling/createMessage", "roots/list");
        assertThat(text(done)).isEqualTo("Alice / Hello! / 1 root(s)");
    }

    @Test
    void on_2026_answers_without_a_state_are_accepted_when_nothing_earlier_is_needed() {
        Modern modern = new Modern(server());

        JsonNode result = modern.result("tools/call", """
                {"name": "shorthand", "inputResponses": {"sampling-1":
                    {"role": "assistant", "content": {"type": "text", "text": "hi"}, "model": "m"}}}""");

        assertThat(text(result)).isEqualTo("model: hi");
    }

    @Test
    @Tag("M-8")
    void on_2026_a_missing_answer_is_requested_again_rather_than_an_error() {
        Modern modern = new Modern(server());

        JsonNode result = modern.result("tools/call", """
                {"name": "two_questions", "inputResponses": {"wrong_key": {"action": "accept", "content": {"data": "x"}}}}""");

        assertThat(result.get("resultType").stringValue()).isEqualTo("input_required");
        assertThat(result.get("inputRequests").propertyNames()).containsExactly("step1");
    }

    @Test
    @Tag("M-8")
    void on_2026_unknown_extra_answers_are_ignored() {
        Modern modern = new Modern(server());

        JsonNode result = modern.result("tools/call", """
                {"name": "two_questions", "inputResponses": {
                   "step1": {"action": "accept", "content": {"name": "Alice"}},
                   "step2": {"action": "accept", "content": {"color": "red"}},
                   "unknown_extra_key": {"action": "accept", "content": {"foo": "bar"}}}}""");

        assertThat(text(result)).isEqualTo("Alice likes red");
    }

    @Test
    @Tag("M-8")
    void on_2026_malformed_input_responses_are_invalid_params() {
        Modern modern = new Modern(server());

        for (String malformed : List.of("null", "12", "[]", "{\"step1\": 12345}", "{\"step1\": \"yes\"}")) {
            JsonRpcError error = modern.error("tools/call", "{\"name\": \"two_questions\", \"inputResponses\": " + malformed + "}");
            assertThat(error.code()).as(malformed).isEqualTo(JsonRpcErrorCodes.INVALID_PARAMS);
        }
    }

    @Test
    @Tag("M-8")
    void on_2026_an_answer_that_is_not_a_result_of_its_method_is_invalid_params() {
        Modern modern = new Modern(server());

        JsonRpcError error = modern.error("tools/call", """
                {"name": "two_questions", "inputResponses": {"step1": {"role": "assistant"}}}""");

        assertThat(error.code()).isEqualTo(JsonRpcErrorCodes.INVALID_PARAMS);
    }

    @Test
    @Tag("M-6")
    @Tag("B-7")
    void on_2026_a_request_for_an_undeclared_capability_is_never_sent_but_fails_with_32021() {
        Modern modern = new Modern(server());

        JsonRpcError error = modern.error(Caller.anonymous(), "{\"elicitation\": {}}", "tools/call", "{\"name\": \"shorthand\"}");

        assertThat(error.code()).isEqualTo(JsonRpcErrorCodes.MISSING_CLIENT_CAPABILITY);
        assertThat(Wire.tree(error.data())).isEqualTo(json("{\"requiredCapabilities\": {\"sampling\": {}}}"));
        assertThat(modern.sent).isEmpty();
    }

    @Test
    @Tag("M-6")
    void on_2026_url_elicitation_needs_the_url_capability() {
        McpServer server = McpServer.builder("t", "1").tool(Tool.builder("url").handler((args, ctx) -> ToolResult.text(
                ctx.elicit((ObjectNode) json("{\"mode\":\"url\",\"message\":\"Sign in\",\"url\":\"https://example.com\"}")).toString())))
                .build();

        JsonRpcError error = new Modern(server).error(Caller.anonymous(), "{\"elicitation\": {\"form\": {}}}", "tools/call",
                "{\"name\": \"url\"}");

        assertThat(Wire.tree(error.data())).isEqualTo(json("{\"requiredCapabilities\": {\"elicitation\": {\"url\": {}}}}"));
    }

    @Test
    @Tag("M-6")
    void a_handler_that_checks_can_ask_requests_only_what_the_client_declared() {
        Modern modern = new Modern(server());

        JsonNode result = modern.result(Caller.anonymous(), "{\"sampling\": {}}", "tools/call", "{\"name\": \"only_what_the_client_can\"}");

        assertThat(result.get("inputRequests").propertyNames()).containsExactly("sample");
    }

    @Test
    void a_handler_that_swallows_the_end_of_its_run_still_gets_input_required() {
        Modern modern = new Modern(server());

        JsonNode result = modern.result("tools/call", "{\"name\": \"swallower\"}");

        assertThat(result.get("resultType").stringValue()).isEqualTo("input_required");
        assertThat(result.get("inputRequests").propertyNames()).containsExactly("elicitation-1");
    }

    @Test
    @Tag("M-2")
    void prompts_get_and_resources_read_may_answer_input_required_too() {
        Modern modern = new Modern(server());

        JsonNode prompt = modern.result("prompts/get", "{\"name\": \"ask_prompt\"}");
        JsonNode promptDone = modern.result("prompts/get", retry("{\"name\": \"ask_prompt\"}", prompt,
                "{\"context\": {\"action\": \"accept\", \"content\": {\"context\": \"test context\"}}}"));
        JsonNode read = modern.result("resources/read", "{\"uri\": \"test://asks\"}");
        JsonNode readDone = modern.result("resources/read", retry("{\"uri\": \"test://asks\"}", read,
                "{\"roots\": {\"roots\": []}}"));

        assertThat(prompt.get("resultType").stringValue()).isEqualTo("input_required");
        assertThat(promptDone.get("messages").get(0).get("content").get("text").stringValue()).isEqualTo("context: test context");
        assertThat(read.get("inputRequests").get("roots").get("method").stringValue()).isEqualTo("roots/list");
        assertThat(readDone.get("contents").get(0).get("text").stringValue()).isEqualTo("roots: 0");
    }

    @Test
    @Tag("M-2")
    void lists_never_answer_input_required_and_ignore_mrtr_params() {
        Modern modern = new Modern(server());

        JsonNode tools = modern.result("tools/list", "{\"inputResponses\": 5, \"requestState\": \"junk\"}");

        assertThat(tools.has("tools")).isTrue();
        assertThat(tools.get("resultType").stringValue()).isEqualTo("complete");
    }

    @Test
    @Tag("H-6")
    void on_2026_no_request_ever_travels_on_the_response_stream() {
        Modern modern = new Modern(server());

        modern.result("tools/call", "{\"name\": \"all_at_once\"}");
        modern.result("tools/call", "{\"name\": \"shorthand\"}");
        modern.result("resources/read", "{\"uri\": \"test://asks\"}");

        assertThat(modern.sent).noneMatch(JsonRpcMessage.Request.class::isInstance);
    }
}
