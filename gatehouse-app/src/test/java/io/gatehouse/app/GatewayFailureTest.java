package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.McpReply;
import io.gatehouse.testkit.McpTestClient;
import io.gatehouse.testkit.NodeTools;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * How a gateway fails when an upstream does, with five upstreams behind one Gatehouse (auth off, a 2 s timeout for the
 * HTTP ones): {@code rec_} (a recording upstream that works, and whose {@code hold} tool never answers), {@code down_}
 * (nothing listens on its port), {@code later_} (not up when Gatehouse starts; comes up during a test),
 * {@code silent_} (a socket server that accepts and reads, never answers) and {@code ev_}
 * ({@code @modelcontextprotocol/server-everything} over stdio, one child per client session). Each failure gives the
 * client a JSON-RPC error naming the upstream, and the others keep being served. Errors are asserted by code and
 * message, never by timing.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("gateway")
class GatewayFailureTest {

    static final String SERVER_EVERYTHING = "@modelcontextprotocol/server-everything@2026.8.31";
    static final int INTERNAL_ERROR = -32603;
    static final int REQUEST_TIMEOUT = -32001;

    @TempDir
    static Path data;
    static RecordingUpstream recorder;
    static SilentServer silent;
    static int downPort;
    static int laterPort;
    static RunningGatehouse gateway;

    @BeforeAll
    static void start() throws Exception {
        Path serverEverything = NodeTools.install("server-everything", List.of(SERVER_EVERYTHING))
                .resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");
        recorder = RecordingUpstream.start();
        silent = new SilentServer();
        downPort = freePort();
        laterPort = freePort();
        Path config = Files.writeString(data.resolve("gatehouse.yaml"), """
                upstreams:
                  - name: rec
                    prefix: rec_
                    url: %s
                    timeout: 2s
                  - name: down
                    prefix: down_
                    url: http://127.0.0.1:%d/mcp
                    timeout: 2s
                  - name: later
                    prefix: later_
                    url: http://127.0.0.1:%d/mcp
                    timeout: 2s
                  - name: silent
                    prefix: silent_
                    url: http://127.0.0.1:%d/mcp
                    timeout: 2s
                  - name: ev
                    prefix: ev_
                    command: "%s"
                    args: ["%s", stdio]
                    timeout: 20s
                """.formatted(recorder.mcpUrl(), downPort, laterPort, silent.port(), NodeTools.node22(), serverEverything));
        gateway = RunningGatehouse.start("config", config.toString(), "data-dir", data.resolve("data").toString(),
                "management-port", "0");
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        recorder.close();
        silent.close();
    }

    @Test
    void an_upstream_with_nothing_listening_is_left_out_and_a_call_to_it_is_an_error_naming_it() {
        McpTestClient client = gateway.client().initialize();
        assertThat(allToolNames(client)).contains("rec_echo", "ev_echo").noneMatch(name -> name.startsWith("down_"));

        McpReply reply = client.call("tools/call", Map.of("name", "down_echo", "arguments", Map.of("text", "x")));

        assertThat(reply.error().path("code").asInt()).as(reply.body()).isEqualTo(INTERNAL_ERROR);
        assertThat(reply.error().path("message").asString()).contains("upstream 'down' is unavailable", "cannot connect");
        assertServed(client);
    }

    @Test
    void an_upstream_that_accepts_and_never_answers_gives_a_timeout_error() {
        McpTestClient client = gateway.client().initialize();

        McpReply reply = client.call("tools/call", Map.of("name", "silent_anything", "arguments", Map.of()));

        assertThat(reply.error().path("code").asInt()).as(reply.body()).isEqualTo(REQUEST_TIMEOUT);
        assertThat(reply.error().path("message").asString()).contains("upstream 'silent' did not answer");
        assertServed(client);
    }

    @Test
    void a_call_the_upstream_never_answers_times_out_and_is_cancelled_upstream() throws Exception {
        McpTestClient client = gateway.client().initialize();

        McpReply reply = client.call("tools/call", Map.of("name", "rec_hold", "arguments", Map.of()));

        assertThat(reply.error().path("code").asInt()).as(reply.body()).isEqualTo(REQUEST_TIMEOUT);
        assertThat(reply.error().path("message").asString()).isEqualTo("upstream 'rec' did not answer tools/call within 2000 ms");
        assertThat(recorder.await(r -> RecordingUpstream.jsonRpcMethod(r).equals("notifications/cancelled"),
                Duration.ofSeconds(10))).as("the upstream is told the call was cancelled").isTrue();
        assertServed(client);
    }

    @Test
    @Tag("T-12")
    void a_stdio_child_killed_mid_call_fails_the_call_ends_the_session_and_a_new_session_gets_a_new_child() throws Exception {
        Set<Long> before = serverEverythingChildren().map(ProcessHandle::pid).collect(Collectors.toSet());
        McpTestClient client = gateway.client().initialize();
        List<ProcessHandle> started = serverEverythingChildren().filter(p -> !before.contains(p.pid())).toList();
        assertThat(started).as("the session's own child").hasSize(1);

        List<JsonNode> seen = new ArrayList<>();
        try (Stream<String> lines = streamCall(client, """
                {"jsonrpc": "2.0", "id": 41, "method": "tools/call", "params": {"name": "ev_trigger-long-running-operation",
                 "arguments": {"duration": 120, "steps": 120}, "_meta": {"progressToken": "kill-me"}}}""")) {
            Iterator<JsonNode> messages = lines.filter(line -> line.startsWith("data:"))
                    .map(line -> OAuthTestDriver.JSON.readTree(line.substring(5))).iterator();
            while (messages.hasNext()) {
                JsonNode message = messages.next();
                seen.add(message);
                if (message.path("method").asString("").equals("notifications/progress")) {
                    started.getFirst().destroyForcibly(); // the call is running upstream: kill its child
                }
                if (message.has("id")) {
                    break;
                }
            }
        }

        assertThat(seen).anyMatch(m -> m.path("method").asString("").equals("notifications/progress"));
        JsonNode answer = seen.getLast();
        assertThat(answer.path("id").asInt()).as(seen.toString()).isEqualTo(41);
        assertThat(answer.path("error").path("code").asInt()).as(answer.toString()).isEqualTo(INTERNAL_ERROR);
        assertThat(answer.path("error").path("message").asString()).contains("upstream 'ev'", "exited");
        assertThat(client.call("tools/list", Map.of()).status()).as("the ended session").isEqualTo(404);

        McpTestClient again = gateway.client().initialize(); // its child starts after the restart backoff
        McpReply echo = again.call("tools/call", Map.of("name", "ev_echo", "arguments", Map.of("message", "back")));
        assertThat(echo.result().path("content").path(0).path("text").asString()).as(echo.body()).contains("back");
        assertServed(again);
    }

    @Test
    void an_upstream_not_up_at_start_is_reported_down_then_served_once_it_is_up() throws Exception {
        McpTestClient before = gateway.client().initialize();
        assertThat(allToolNames(before)).contains("rec_echo").noneMatch(name -> name.startsWith("later_"));
        JsonNode down = upstreamHealth("later");
        assertThat(down.path("state").asString()).as(down.toString()).isEqualTo("down");
        assertThat(down.path("lastError").asString()).contains("upstream 'later' is unavailable", "cannot connect");
        assertThat(upstreamHealth("rec").path("state").asString()).isEqualTo("up");

        try (RecordingUpstream later = RecordingUpstream.start(laterPort)) {
            McpTestClient after = gateway.client().initialize();
            assertThat(allToolNames(after)).contains("later_echo", "rec_echo");
            McpReply echo = after.call("tools/call", Map.of("name", "later_echo", "arguments", Map.of("text", "up now")));
            assertThat(echo.result().path("content").path(0).path("text").asString()).as(echo.body()).isEqualTo("up now");
            assertThat(upstreamHealth("later").path("state").asString()).isEqualTo("up");
            after.delete();
        }
    }

    /** A call to the working HTTP upstream succeeds on this session. */
    private static void assertServed(McpTestClient client) {
        McpReply echo = client.call("tools/call", Map.of("name", "rec_echo", "arguments", Map.of("text", "still served")));
        assertThat(echo.result().path("content").path(0).path("text").asString()).as(echo.body()).isEqualTo("still served");
    }

    /** Every tool name, page after page (each page of a gateway's merged list comes from one upstream). */
    private static List<String> allToolNames(McpTestClient client) {
        List<String> names = new ArrayList<>();
        String cursor = null;
        do {
            McpReply page = client.call("tools/list", cursor == null ? Map.of() : Map.of("cursor", cursor));
            assertThat(page.json().has("result")).as(page.body()).isTrue();
            page.result().path("tools").forEach(tool -> names.add(tool.path("name").asString()));
            cursor = page.result().path("nextCursor").asString(null);
        } while (cursor != null);
        return names;
    }

    private static JsonNode upstreamHealth(String name) {
        JsonNode health = gateway.managementHealth();
        for (JsonNode upstream : health.path("upstreams")) {
            if (upstream.path("name").asString().equals(name)) {
                return upstream;
            }
        }
        throw new AssertionError("no upstream " + name + " in " + health);
    }

    /** The server-everything children of this JVM, where the in-process Gatehouse starts them. */
    private static Stream<ProcessHandle> serverEverythingChildren() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("server-everything"));
    }

    /** POSTs a request on the client's session and answers its SSE lines as they arrive. */
    private static Stream<String> streamCall(McpTestClient client, String body) throws Exception {
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway.mcpUrl())
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("Mcp-Session-Id", client.sessionId()).header("MCP-Protocol-Version", McpTestClient.PROTOCOL_VERSION)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        return response.body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Accepts connections on 127.0.0.1 and reads what they send, never answering a byte. */
    static final class SilentServer implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> held = new CopyOnWriteArrayList<>();

        SilentServer() throws IOException {
            Thread.ofVirtual().name("silent-upstream").start(this::accept);
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    held.add(socket);
                    Thread.ofVirtual().start(() -> drain(socket));
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private static void drain(Socket socket) {
            try (InputStream in = socket.getInputStream()) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException e) {
                // closed
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : held) {
                socket.close();
            }
        }
    }
}
