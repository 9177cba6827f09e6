package io.gatehouse.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.McpReply;
import io.gatehouse.testkit.McpTestClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The GET stream (T-09) and server-to-client requests on a POST stream (T-08), read as they arrive. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SessionStreamsTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static HttpRequest.Builder request(McpTestClient client) {
        return HttpRequest.newBuilder(server.http.mcpUri())
                .header("Mcp-Session-Id", client.sessionId())
                .header("MCP-Protocol-Version", McpTestClient.PROTOCOL_VERSION);
    }

    /** The next SSE data payload from a stream of lines. */
    private static JsonNode nextEvent(Iterator<String> lines) {
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith("data:")) {
                return JSON.readTree(line.substring(5).strip());
            }
        }
        throw new AssertionError("the stream ended without another event");
    }

    @Test
    @Tag("T-09")
    void resource_updates_arrive_on_the_get_stream_of_a_subscribed_session() throws Exception {
        McpTestClient client = server.client().initialize();
        assertThat(client.call("resources/subscribe", Map.of("uri", "test://watched")).result().isObject()).isTrue();
        HttpResponse<Stream<String>> stream = HTTP.send(request(client).header("Accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        Iterator<String> lines = stream.body().iterator();
        server.mcp.notifyResourceUpdated("test://watched");
        JsonNode event = CompletableFuture.supplyAsync(() -> nextEvent(lines)).get(10, TimeUnit.SECONDS);
        assertThat(event.path("method").asString()).isEqualTo("notifications/resources/updated");
        assertThat(event.path("params").path("uri").asString()).isEqualTo("test://watched");
        stream.body().close();
    }

    @Test
    @Tag("T-09")
    void a_second_get_stream_for_the_same_session_is_409() throws Exception {
        McpTestClient client = server.client().initialize();
        HttpResponse<Stream<String>> first = HTTP.send(request(client).header("Accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(first.statusCode()).isEqualTo(200);
        McpReply second = client.get("Accept", "text/event-stream");
        assertThat(second.status()).isEqualTo(409);
        first.body().close();
    }

    @Test
    @Tag("T-09")
    void get_without_accepting_event_streams_is_406() {
        McpTestClient client = server.client().initialize();
        assertThat(client.get("Accept", "application/json").status()).isEqualTo(406);
    }

    @Test
    @Tag("T-12")
    void deleting_the_session_closes_its_get_stream() throws Exception {
        McpTestClient client = server.client().initialize();
        HttpResponse<Stream<String>> stream = HTTP.send(request(client).header("Accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        CompletableFuture<Long> drained = CompletableFuture.supplyAsync(() -> stream.body().count());
        assertThat(client.delete().status()).isEqualTo(200);
        assertThat(drained.get(10, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(0);
    }

    @Test
    @Tag("T-08")
    void a_tool_can_ask_the_client_to_sample_and_gets_the_answer_posted_back() throws Exception {
        McpTestClient client = server.client().initialize();
        String call = "{\"jsonrpc\":\"2.0\",\"id\":77,\"method\":\"tools/call\",\"params\":{\"name\":\"ask\"}}";
        HttpResponse<Stream<String>> stream = HTTP.send(request(client).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(call)).build(), HttpResponse.BodyHandlers.ofLines());
        Iterator<String> lines = stream.body().iterator();
        JsonNode samplingRequest = CompletableFuture.supplyAsync(() -> nextEvent(lines)).get(10, TimeUnit.SECONDS);
        assertThat(samplingRequest.path("method").asString()).isEqualTo("sampling/createMessage");
        String answer = "{\"jsonrpc\":\"2.0\",\"id\":" + samplingRequest.get("id") + ",\"result\":{\"role\":\"assistant\","
                + "\"content\":{\"type\":\"text\",\"text\":\"42\"},\"model\":\"m\"}}";
        McpReply posted = client.post(answer);
        assertThat(posted.status()).isEqualTo(202);
        JsonNode result = CompletableFuture.supplyAsync(() -> nextEvent(lines)).get(10, TimeUnit.SECONDS);
        assertThat(result.path("id").asInt()).isEqualTo(77);
        assertThat(result.path("result").path("content").get(0).path("text").asString()).isEqualTo("model said: 42");
    }

    @Test
    @Tag("T-06")
    void a_response_that_answers_nothing_is_400() {
        McpReply reply = server.client().initialize()
                .post("{\"jsonrpc\":\"2.0\",\"id\":\"srv-unknown\",\"result\":{}}");
        assertThat(reply.status()).isEqualTo(400);
    }

    @Test
    void a_session_created_by_one_server_is_not_usable_after_stop() throws Exception {
        try (TestServer other = TestServer.start()) {
            McpTestClient client = other.client().initialize();
            assertThat(client.call("ping", Map.of()).status()).isEqualTo(200);
            other.mcp.sessions().endAll();
            assertThat(client.call("ping", Map.of()).status()).isEqualTo(404);
        }
    }
}
