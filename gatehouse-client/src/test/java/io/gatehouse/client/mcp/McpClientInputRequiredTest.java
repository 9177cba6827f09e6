package io.gatehouse.client.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.client.mcp.FakeServer.Answer;
import io.gatehouse.client.mcp.FakeServer.Received;
import io.gatehouse.client.oauth.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Multi round-trip requests as a client (MCP 2026-07-28, basic/patterns/mrtr.mdx "Client Requirements"): the input
 * requests of an {@code InputRequiredResult} are answered through the {@link InputResponder} and the original request
 * retried with a new id, the answers and the exact {@code requestState}; nothing else carries them.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class McpClientInputRequiredTest {

    static final String STATE = "opaque+/=state ü";

    /** Answers elicitation with a name, roots with one root; records what it was asked. */
    static final class Recording implements InputResponder {
        final List<String> asked = new ArrayList<>();

        @Override
        public ObjectNode capabilities() {
            ObjectNode capabilities = Http.JSON.createObjectNode();
            capabilities.putObject("roots");
            capabilities.putObject("elicitation").putObject("form");
            return capabilities;
        }

        @Override
        public JsonNode answer(String method, JsonNode params) {
            asked.add(method);
            return method.equals("roots/list") ? Http.JSON.readTree("{\"roots\":[{\"uri\":\"file:///work\"}]}")
                    : Http.JSON.readTree("{\"action\":\"accept\",\"content\":{\"name\":\"alice\"}}");
        }
    }

    static Answer discoverOr(Received request, Answer otherwise) {
        return request.method().equals("server/discover") ? Answer.result(request, McpClientEraTest.DISCOVERED) : otherwise;
    }

    static McpClient client(FakeServer server, InputResponder responder) throws Exception {
        return new McpClient(server.url(), new Http(), McpClientEraTest.authorizer(),
                new McpClient.Settings(Optional.empty(), "mrtr-test", "1", responder));
    }

    static String inputRequired(boolean withState) {
        return """
                {"resultType":"input_required","inputRequests":{
                  "who":{"method":"elicitation/create","params":{"mode":"form","message":"Your name?",
                         "requestedSchema":{"type":"object","properties":{"name":{"type":"string"}}}}},
                  "where":{"method":"roots/list","params":{}}}%s}""".formatted(withState ? ",\"requestState\":\"" + STATE + "\"" : "");
    }

    static Answer prompts(Received request, boolean withState) {
        if (!request.method().equals("prompts/get")) {
            return discoverOr(request, Answer.error(request, 404, -32601, null));
        }
        return request.body().path("params").has("inputResponses")
                ? Answer.result(request, "{\"resultType\":\"complete\",\"messages\":[]}")
                : Answer.result(request, inputRequired(withState));
    }

    @Test
    @Tag("M-3")
    void the_input_requests_are_answered_and_the_request_retried_with_a_new_id_the_answers_and_the_exact_state() throws Exception {
        Recording responder = new Recording();
        try (FakeServer server = new FakeServer(request -> prompts(request, true)); McpClient client = client(server, responder)) {
            ObjectNode params = Http.JSON.createObjectNode().put("name", "greeting");
            JsonNode result = client.request("prompts/get", params);

            assertThat(result.path("resultType").asString()).isEqualTo("complete");
            assertThat(responder.asked).containsExactlyInAnyOrder("elicitation/create", "roots/list");
            List<Received> gets = server.received.stream().filter(r -> r.method().equals("prompts/get")).toList();
            assertThat(gets).hasSize(2);
            JsonNode retry = gets.get(1).body();
            assertThat(retry.path("id")).isNotEqualTo(gets.get(0).body().path("id"));
            assertThat(retry.path("params").path("requestState").asString()).isEqualTo(STATE);
            assertThat(retry.path("params").path("name").asString()).isEqualTo("greeting");
            assertThat(retry.path("params").path("inputResponses").path("who").path("content").path("name").asString()).isEqualTo("alice");
            assertThat(retry.path("params").path("inputResponses").path("where").path("roots").get(0).path("uri").asString())
                    .isEqualTo("file:///work");
            assertThat(gets.get(1).meta().path("io.modelcontextprotocol/clientCapabilities").has("elicitation")).isTrue();
            assertThat(params.has("inputResponses")).as("the caller's params are left alone").isFalse();
        }
    }

    @Test
    @Tag("M-3")
    void a_retry_carries_no_request_state_when_the_server_sent_none() throws Exception {
        try (FakeServer server = new FakeServer(request -> prompts(request, false)); McpClient client = client(server, new Recording())) {
            client.request("prompts/get", Http.JSON.createObjectNode().put("name", "greeting"));

            assertThat(server.last("prompts/get").body().path("params").has("requestState")).isFalse();
            assertThat(server.last("prompts/get").body().path("params").has("inputResponses")).isTrue();
        }
    }

    @Test
    @Tag("M-3")
    void a_result_without_result_type_is_complete() throws Exception {
        try (FakeServer server = new FakeServer(request -> discoverOr(request,
                Answer.result(request, "{\"content\":[{\"type\":\"text\",\"text\":\"done\"}]}")));
             McpClient client = client(server, new Recording())) {
            client.request("resources/read", Http.JSON.createObjectNode().put("uri", "file:///a"));

            assertThat(server.methods()).containsExactly("server/discover", "resources/read");
        }
    }

    @Test
    @Tag("M-2")
    void input_required_on_a_method_that_may_not_ask_ends_the_request() throws Exception {
        try (FakeServer server = new FakeServer(request -> discoverOr(request, Answer.result(request, inputRequired(true))));
             McpClient client = client(server, new Recording())) {
            assertThatThrownBy(() -> client.request("tools/list", Http.JSON.createObjectNode()))
                    .isInstanceOf(McpClient.McpException.class).hasMessageContaining("asked for input on tools/list");
            assertThat(server.methods()).containsExactly("server/discover", "tools/list");
        }
    }

    @Test
    @Tag("M-7")
    void a_server_that_never_stops_asking_is_given_up_on() throws Exception {
        try (FakeServer server = new FakeServer(request -> discoverOr(request, Answer.result(request, inputRequired(true))));
             McpClient client = client(server, new Recording())) {
            assertThatThrownBy(() -> client.request("resources/read", Http.JSON.createObjectNode().put("uri", "file:///a")))
                    .isInstanceOf(McpClient.McpException.class).hasMessageContaining("asked for input " + McpClient.MAX_INPUT_ROUNDS + " times");
            assertThat(server.methods().stream().filter("resources/read"::equals)).hasSize(McpClient.MAX_INPUT_ROUNDS + 1);
        }
    }

    @Test
    @Tag("M-6")
    void sampling_is_declined_by_ending_the_request_and_a_client_without_capabilities_declines_elicitation() throws Exception {
        try (FakeServer server = new FakeServer(request -> discoverOr(request, Answer.result(request, request.method().equals("tools/list")
                ? "{\"resultType\":\"complete\",\"tools\":[]}" : """
                {"resultType":"input_required","inputRequests":{"llm":{"method":"sampling/createMessage","params":{"messages":[],"maxTokens":5}}}}"""
        ))); McpClient client = client(server, InputResponder.none())) {
            assertThatThrownBy(() -> client.request("tools/call", McpClientEraTest.call("think", "{}")))
                    .isInstanceOf(McpClient.McpException.class).hasMessageContaining("an LLM completion (sampling)");
            assertThat(server.methods().stream().filter("tools/call"::equals)).hasSize(1);
            assertThat(server.last("tools/call").meta().path("io.modelcontextprotocol/clientCapabilities").isEmpty()).isTrue();
        }
        assertThat(InputResponder.none().answer("elicitation/create", Http.JSON.createObjectNode()).path("action").asString())
                .isEqualTo("decline");
    }
}
