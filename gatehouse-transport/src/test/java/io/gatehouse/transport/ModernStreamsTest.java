package io.gatehouse.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The 2026-07-28 response streams on a real Jetty: {@code subscriptions/listen} (acknowledgement first, tagged
 * updates, keep-alive comments, graceful end on shutdown, read permission) and closing a stream as cancellation (H-9).
 * The client is a plain socket, so the test sees every byte and closes the connection exactly when it means to.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ModernStreamsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String META = """
            "_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
                      "io.modelcontextprotocol/clientInfo": {"name": "test", "version": "1"},
                      "io.modelcontextprotocol/clientCapabilities": {}}""";

    private ModernPathServer server;

    @BeforeEach
    void start() throws Exception {
        server = new ModernPathServer();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    /** One POST on its own connection, read line by line as the server writes. */
    private final class Exchange implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final List<String> headers = new ArrayList<>();
        int status;

        Exchange(String body, String... extraHeaders) throws IOException {
            socket = new Socket("127.0.0.1", server.port());
            socket.setSoTimeout(10_000);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
                    + "MCP-Protocol-Version: 2026-07-28\r\nContent-Length: " + bytes.length + "\r\n");
            for (String header : extraHeaders) {
                head.append(header).append("\r\n");
            }
            socket.getOutputStream().write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            status = Integer.parseInt(in.readLine().split(" ")[1]);
            for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
                headers.add(line.toLowerCase(Locale.ROOT));
            }
        }

        /** The next SSE event's data (comments skipped); null when the stream ends. */
        JsonNode nextEvent() throws IOException {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("data:")) {
                    return JSON.readTree(line.substring(5).strip());
                }
                if (line.equals("0")) { // the last chunk: the server ended the stream
                    return null;
                }
            }
            return null;
        }

        /** The next SSE comment line; null when the stream ends first. */
        String nextComment() throws IOException {
            for (String line = in.readLine(); line != null && !line.equals("0"); line = in.readLine()) {
                if (line.startsWith(":")) {
                    return line;
                }
            }
            return null;
        }

        /** The JSON body of a plain (non-chunked) answer. */
        JsonNode jsonBody() throws IOException {
            int length = headers.stream().filter(h -> h.startsWith("content-length:"))
                    .map(h -> Integer.parseInt(h.substring(15).strip())).findFirst().orElseThrow();
            char[] body = new char[length];
            int read = 0;
            while (read < length) {
                read += in.read(body, read, length - read);
            }
            return JSON.readTree(new String(body));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private Exchange listen(int id, String notifications, String... headers) throws IOException {
        return new Exchange("""
                {"jsonrpc": "2.0", "id": %d, "method": "subscriptions/listen",
                 "params": {%s, "notifications": %s}}""".formatted(id, META, notifications), headers);
    }

    @Test
    @Tag("S-2")
    @Tag("H-7")
    void a_listen_stream_starts_with_the_acknowledgement_as_an_unbuffered_event_stream() throws Exception {
        try (Exchange listen = listen(1, "{\"toolsListChanged\": true, \"resourceSubscriptions\": [\"test://watched\"]}")) {
            assertThat(listen.status).isEqualTo(200);
            assertThat(listen.headers).contains("content-type: text/event-stream", "x-accel-buffering: no");
            assertThat(listen.nextEvent()).isEqualTo(JSON.readTree("""
                    {"jsonrpc": "2.0", "method": "notifications/subscriptions/acknowledged",
                     "params": {"notifications": {"resourceSubscriptions": ["test://watched"]},
                                "_meta": {"io.modelcontextprotocol/subscriptionId": 1}}}"""));
        }
    }

    @Test
    @Tag("S-3")
    @Tag("H-7")
    void resource_updates_arrive_tagged_and_an_idle_stream_carries_keep_alive_comments() throws Exception {
        try (Exchange listen = listen(2, "{\"resourceSubscriptions\": [\"test://watched\"]}")) {
            listen.nextEvent();
            server.mcp.notifyResourceUpdated("test://watched");

            assertThat(listen.nextEvent()).isEqualTo(JSON.readTree("""
                    {"jsonrpc": "2.0", "method": "notifications/resources/updated",
                     "params": {"uri": "test://watched", "_meta": {"io.modelcontextprotocol/subscriptionId": 2}}}"""));
            assertThat(listen.nextComment()).as("a keep-alive comment while nothing happens").startsWith(":");
        }
    }

    @Test
    @Tag("S-4")
    void on_shutdown_a_listen_stream_gets_its_final_result_and_then_ends() throws Exception {
        try (Exchange listen = listen(3, "{\"resourceSubscriptions\": [\"test://watched\"]}")) {
            listen.nextEvent();

            server.endSubscriptions();

            JsonNode end = listen.nextEvent();
            assertThat(end.path("id").asInt()).isEqualTo(3);
            assertThat(end.path("result").path("resultType").asString()).isEqualTo("complete");
            assertThat(end.path("result").path("_meta").path("io.modelcontextprotocol/subscriptionId").asInt()).isEqualTo(3);
            assertThat(end.path("result").path("_meta").has("io.modelcontextprotocol/serverInfo")).isTrue();
            assertThat(listen.nextEvent()).isNull();
        }
    }

    @Test
    @Tag("S-1")
    @Tag("attack")
    void a_listen_for_a_resource_the_caller_may_not_read_is_refused_with_403_echoing_the_id() throws Exception {
        try (Exchange listen = listen(4, "{\"resourceSubscriptions\": [\"test://watched\", \"test://secret\"]}",
                "X-Test-Scopes: mcp:read")) {
            assertThat(listen.status).isEqualTo(403);
            JsonNode body = listen.jsonBody();
            assertThat(body.path("id").asInt()).isEqualTo(4);
            assertThat(body.path("error").path("message").asString()).contains("mcp:read:secret");
        }
        try (Exchange allowed = listen(5, "{\"resourceSubscriptions\": [\"test://secret\"]}",
                "X-Test-Scopes: mcp:read:secret")) {
            assertThat(allowed.nextEvent().path("params").path("notifications").path("resourceSubscriptions"))
                    .isEqualTo(JSON.readTree("[\"test://secret\"]"));
        }
    }

    @Test
    @Tag("H-9")
    void closing_the_response_stream_of_a_modern_request_cancels_its_work() throws Exception {
        Exchange call = new Exchange("""
                {"jsonrpc": "2.0", "id": 6, "method": "tools/call", "params": {%s, "name": "slow", "arguments": {}}}"""
                .formatted(META));
        // a silent handler's answer becomes an event stream of keep-alive comments, which finds the closed connection
        assertThat(call.status).isEqualTo(200);

        call.close();

        assertThat(server.slowToolCancelled.get(10, TimeUnit.SECONDS)).as("cancelled and interrupted").isTrue();
    }

    @Test
    @Tag("H-9")
    void a_modern_request_whose_client_left_stops_at_its_next_write() throws Exception {
        Exchange call = new Exchange("""
                {"jsonrpc": "2.0", "id": 8, "method": "tools/call", "params": {
                 "_meta": {"progressToken": "p", "io.modelcontextprotocol/protocolVersion": "2026-07-28",
                           "io.modelcontextprotocol/clientCapabilities": {}},
                 "name": "ticking", "arguments": {}}}""");
        assertThat(call.nextEvent().path("method").asString()).isEqualTo("notifications/progress");

        call.close();

        assertThat(server.tickingOutcome.get(10, TimeUnit.SECONDS)).isEqualTo("cancelled");
    }

    @Test
    @Tag("T-08")
    void a_legacy_request_whose_client_left_runs_to_the_end_as_before() throws Exception {
        Exchange call = new Exchange("""
                {"jsonrpc": "2.0", "id": 9, "method": "tools/call",
                 "params": {"_meta": {"progressToken": "p"}, "name": "ticking", "arguments": {}}}""");
        assertThat(call.nextEvent().path("method").asString()).isEqualTo("notifications/progress");

        call.close();

        assertThat(server.tickingOutcome.get(10, TimeUnit.SECONDS)).isEqualTo("ran to the end");
    }

    @Test
    @Tag("H-9")
    void closing_a_listen_stream_ends_the_subscription_so_shutdown_has_none_left_to_wait_for() throws Exception {
        Exchange listen = listen(7, "{\"resourceSubscriptions\": [\"test://watched\"]}");
        listen.nextEvent();

        listen.close();

        // the stream is found closed at the next keep-alive; updates to it then go nowhere and nothing is left open
        assertThat(server.endpoint.awaitNoListenStreams(Duration.ofSeconds(10))).isTrue();
        server.mcp.notifyResourceUpdated("test://watched");
    }
}
