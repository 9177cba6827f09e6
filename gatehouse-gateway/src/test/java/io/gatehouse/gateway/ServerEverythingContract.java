package io.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.mcp.internal.json.Json;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What Gatehouse must be able to do with the real {@code @modelcontextprotocol/server-everything} as an upstream,
 * whatever the transport: one session per test class (the subclass opens it with the sampling capability).
 */
abstract class ServerEverythingContract {

    /** Server→client requests the upstream made on the session, answered as a fake LLM would. */
    static final List<String> SERVER_REQUESTS = new CopyOnWriteArrayList<>();

    /** Notifications the upstream sent outside any request, as (method, params). */
    static final List<Map.Entry<String, ObjectNode>> NOTIFICATIONS = new CopyOnWriteArrayList<>();

    static final UpstreamListener SAMPLING_CLIENT = new UpstreamListener() {
        @Override
        public void onNotification(String method, ObjectNode params) {
            NOTIFICATIONS.add(Map.entry(method, params));
        }

        @Override
        public CompletableFuture<JsonNode> onRequest(String method, ObjectNode params) {
            SERVER_REQUESTS.add(method);
            ObjectNode result = Json.object().put("role", "assistant").put("model", "gatehouse-test-model");
            result.putObject("content").put("type", "text").put("text", "forty-two");
            return CompletableFuture.completedFuture(result);
        }
    };

    static ObjectNode samplingCapability() {
        ObjectNode capabilities = Json.object();
        capabilities.putObject("sampling");
        return capabilities;
    }

    abstract UpstreamSession session();

    static JsonNode await(UpstreamCall call) throws Exception {
        return call.result().get(30, TimeUnit.SECONDS);
    }

    static ObjectNode params(String json) {
        return (ObjectNode) Json.MAPPER.readTree(json);
    }

    @Test
    void initialize_returns_the_upstreams_server_info_and_capabilities() throws Exception {
        ObjectNode result = session().initialize().get(30, TimeUnit.SECONDS);

        assertThat(result.path("protocolVersion").asString()).isEqualTo("2025-11-25");
        assertThat(result.path("serverInfo").path("name").asString()).isNotBlank();
        assertThat(result.path("capabilities").has("tools")).isTrue();
        assertThat(result.path("capabilities").has("prompts")).isTrue();
        assertThat(result.path("capabilities").has("resources")).isTrue();
    }

    @Test
    void tools_are_listed_and_called() throws Exception {
        JsonNode tools = await(session().request("tools/list", Json.object()));
        assertThat(tools.path("tools").valueStream().map(t -> t.path("name").asString()))
                .contains("echo", "trigger-long-running-operation", "trigger-sampling-request");

        JsonNode echo = await(session().request("tools/call", params("""
                {"name": "echo", "arguments": {"message": "through the gateway"}}""")));
        assertThat(echo.path("content").path(0).path("text").asString()).contains("through the gateway");
    }

    @Test
    void a_prompt_is_got() throws Exception {
        JsonNode prompt = await(session().request("prompts/get", params("""
                {"name": "simple-prompt"}""")));

        assertThat(prompt.path("messages").path(0).path("content").path("text").asString())
                .isEqualTo("This is a simple prompt without arguments.");
    }

    @Test
    void a_listed_resource_is_read() throws Exception {
        JsonNode listed = await(session().request("resources/list", Json.object()));
        String uri = listed.path("resources").path(0).path("uri").asString();
        assertThat(uri).isNotBlank();

        JsonNode read = await(session().request("resources/read", Json.object().put("uri", uri)));
        assertThat(read.path("contents").path(0).path("uri").asString()).isEqualTo(uri);
    }

    @Test
    void the_progress_notifications_of_a_long_running_tool_reach_the_related_listener_in_order() throws Exception {
        List<JsonNode> progress = new CopyOnWriteArrayList<>();
        UpstreamListener related = new UpstreamListener() {
            @Override
            public void onNotification(String method, ObjectNode params) {
                if (method.equals("notifications/progress")) {
                    progress.add(params);
                }
            }
        };

        JsonNode result = await(session().request("tools/call", params("""
                {"name": "trigger-long-running-operation", "arguments": {"duration": 1, "steps": 3},
                 "_meta": {"progressToken": "client-token-7"}}"""), related));

        assertThat(result.path("content").path(0).path("text").asString()).contains("completed");
        assertThat(progress).extracting(p -> p.path("progress").asInt()).containsExactly(1, 2, 3);
        assertThat(progress).allSatisfy(p -> assertThat(p.path("progressToken").asString()).isEqualTo("client-token-7"));
    }

    @Test
    void a_sampling_request_of_the_upstream_is_answered_through_the_listener() throws Exception {
        JsonNode result = await(session().request("tools/call", params("""
                {"name": "trigger-sampling-request", "arguments": {"prompt": "the answer?", "maxTokens": 10}}""")));

        assertThat(SERVER_REQUESTS).contains("sampling/createMessage");
        assertThat(result.path("content").path(0).path("text").asString()).contains("forty-two");
    }

    @Test
    void a_sampling_request_made_during_a_call_is_answered_through_that_calls_listener() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        UpstreamListener related = new UpstreamListener() {
            @Override
            public CompletableFuture<JsonNode> onRequest(String method, ObjectNode params) {
                asked.add(method);
                ObjectNode result = Json.object().put("role", "assistant").put("model", "the-calls-model");
                result.putObject("content").put("type", "text").put("text", "answered on the call's stream");
                return CompletableFuture.completedFuture(result);
            }
        };
        int askedOfTheSession = SERVER_REQUESTS.size();

        JsonNode result = await(session().request("tools/call", params("""
                {"name": "trigger-sampling-request", "arguments": {"prompt": "whose?", "maxTokens": 10}}"""), related));

        assertThat(asked).containsExactly("sampling/createMessage");
        assertThat(SERVER_REQUESTS).hasSize(askedOfTheSession);
        assertThat(result.path("content").path(0).path("text").asString()).contains("answered on the call's stream");
    }

    @Test
    void an_upstream_error_keeps_its_json_rpc_code_and_message() throws Exception {
        UpstreamCall call = session().request("prompts/get", params("""
                {"name": "no-such-prompt"}"""));

        CompletableFuture<JsonNode> result = call.result();
        assertThat(result).failsWithin(30, TimeUnit.SECONDS).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(UpstreamException.class, e -> {
                    assertThat(e.kind()).isEqualTo(UpstreamException.Kind.ERROR_RESPONSE);
                    assertThat(e.getMessage()).contains("no-such-prompt");
                });
    }

    @Test
    void log_messages_and_resource_updates_sent_outside_requests_reach_the_session_listener() throws Exception {
        JsonNode listed = await(session().request("resources/list", Json.object()));
        String uri = listed.path("resources").path(0).path("uri").asString();

        await(session().request("resources/subscribe", Json.object().put("uri", uri)));
        await(session().request("tools/call", params("""
                {"name": "toggle-subscriber-updates", "arguments": {}}""")));
        try {
            awaitNotification("notifications/message", p -> p.path("data").asString().contains(uri));
            awaitNotification("notifications/resources/updated", p -> p.path("uri").asString().equals(uri));
        } finally {
            await(session().request("tools/call", params("""
                    {"name": "toggle-subscriber-updates", "arguments": {}}""")));
            await(session().request("resources/unsubscribe", Json.object().put("uri", uri)));
        }
    }

    private static void awaitNotification(String method, java.util.function.Predicate<ObjectNode> matching)
            throws InterruptedException {
        for (int i = 0; i < 600 && NOTIFICATIONS.stream().noneMatch(n -> n.getKey().equals(method) && matching.test(n.getValue())); i++) {
            Thread.sleep(50);
        }
        assertThat(NOTIFICATIONS).anySatisfy(n -> {
            assertThat(n.getKey()).isEqualTo(method);
            assertThat(matching.test(n.getValue())).isTrue();
        });
    }
}
