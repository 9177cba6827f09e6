package io.gatehouse.mcp.internal.server;

import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.context.LogLevel;
import static io.gatehouse.mcp.internal.server.Wire.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcError;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import io.gatehouse.mcp.tools.Tool;
import io.gatehouse.mcp.tools.ToolResult;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class McpServerClientInteractionTest {

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final CountDownLatch blockingToolStarted = new CountDownLatch(1);

    private McpServer server() {
        return McpServer.builder("t", "1")
                .tool(Tool.builder("chatty").handler((args, ctx) -> {
                    ctx.log(LogLevel.DEBUG, "chatty", "debug line");
                    ctx.log(LogLevel.INFO, "chatty", "info line");
                    ctx.log(LogLevel.WARNING, "chatty", "warning line");
                    ctx.log(LogLevel.ERROR, null, Json.MAPPER.readTree("{\"error\": \"disk full\"}"));
                    return ToolResult.text("done");
                }))
                .tool(Tool.builder("slow").handler((args, ctx) -> {
                    ctx.progress(1, 2.0, "halfway");
                    ctx.progress(2, 2.0, null);
                    return ToolResult.text("done");
                }))
                .tool(Tool.builder("ask").handler((args, ctx) -> {
                    ObjectNode params = Json.object();
                    params.put("maxTokens", 10);
                    params.putArray("messages").addObject().put("role", "user")
                            .putObject("content").put("type", "text").put("text", "Say hi");
                    JsonNode answer = ctx.createMessage(params);
                    return ToolResult.text("model said: " + answer.path("content").path("text").asString());
                }))
                .tool(Tool.builder("block").handler((args, ctx) -> {
                    blockingToolStarted.countDown();
                    while (true) {
                        Thread.sleep(60_000);
                    }
                }))
                .build();
    }

    @AfterEach
    void stopExecutor() {
        executor.shutdownNow();
    }

    private static String text(JsonNode toolResult) {
        return toolResult.get("content").get(0).get("text").stringValue();
    }

    // --- logging

    @Test
    void without_a_level_every_log_message_is_sent() {
        Wire wire = new Wire(server());

        wire.result("tools/call", "{\"name\": \"chatty\"}");

        assertThat(wire.notifications("notifications/message")).hasSize(4);
    }

    @Test
    void after_set_level_warning_less_severe_messages_are_not_sent() {
        Wire wire = new Wire(server());
        wire.result("logging/setLevel", "{\"level\": \"warning\"}");

        wire.result("tools/call", "{\"name\": \"chatty\"}");

        assertThat(wire.notifications("notifications/message"))
                .extracting(n -> n.params().get("level").stringValue())
                .containsExactly("warning", "error");
    }

    @Test
    void log_message_carries_level_logger_and_data() {
        Wire wire = new Wire(server());
        wire.result("logging/setLevel", "{\"level\": \"error\"}");

        wire.result("tools/call", "{\"name\": \"chatty\"}");

        assertThat(wire.notifications("notifications/message")).singleElement()
                .satisfies(n -> assertThat(Wire.onWire(n)).isEqualTo(json("""
                        {"jsonrpc": "2.0", "method": "notifications/message",
                         "params": {"level": "error", "data": {"error": "disk full"}}}
                        """)));
    }

    // --- progress

    @Test
    void progress_is_sent_with_the_token_of_the_request() {
        Wire wire = new Wire(server());

        wire.result("tools/call", """
                {"name": "slow", "_meta": {"progressToken": "tok-1"}}
                """);

        assertThat(wire.notifications("notifications/progress")).extracting(Wire::onWire).containsExactly(
                json("""
                        {"jsonrpc": "2.0", "method": "notifications/progress",
                         "params": {"progressToken": "tok-1", "progress": 1.0, "total": 2.0, "message": "halfway"}}
                        """),
                json("""
                        {"jsonrpc": "2.0", "method": "notifications/progress",
                         "params": {"progressToken": "tok-1", "progress": 2.0, "total": 2.0}}
                        """));
    }

    @Test
    void integer_progress_token_is_echoed_as_an_integer() {
        Wire wire = new Wire(server());

        wire.result("tools/call", """
                {"name": "slow", "_meta": {"progressToken": 42}}
                """);

        assertThat(wire.notifications("notifications/progress"))
                .allSatisfy(n -> assertThat(Wire.onWire(n).get("params").get("progressToken"))
                        .isEqualTo(IntNode.valueOf(42)))
                .hasSize(2);
    }

    @Test
    void without_a_progress_token_no_progress_is_sent() {
        Wire wire = new Wire(server());

        assertThat(text(wire.result("tools/call", "{\"name\": \"slow\"}"))).isEqualTo("done");

        assertThat(wire.sent).isEmpty();
    }

    // --- server-to-client requests

    @Test
    void sampling_request_is_sent_to_the_client_and_its_answer_completes_the_tool() throws Exception {
        McpServer server = server();
        McpSession session = McpSession.transientSession(Wire.LATEST);
        BlockingQueue<JsonRpcMessage> toClient = new LinkedBlockingQueue<>();
        MessageSink sink = toClient::add;
        JsonRpcMessage.Request call = new JsonRpcMessage.Request(StringNode.valueOf("call-1"), "tools/call",
                Wire.params("{\"name\": \"ask\"}"));

        CompletableFuture<Optional<JsonRpcMessage>> running = CompletableFuture.supplyAsync(
                () -> server.handle(call, session, Caller.anonymous(), sink), executor);
        JsonRpcMessage sent = toClient.poll(10, TimeUnit.SECONDS);

        assertThat(sent).isInstanceOfSatisfying(JsonRpcMessage.Request.class, r -> {
            assertThat(r.method()).isEqualTo("sampling/createMessage");
            assertThat(r.id().isString()).isTrue();
            assertThat(r.params().get("maxTokens").intValue()).isEqualTo(10);
        });
        JsonNode requestId = ((JsonRpcMessage.Request) sent).id();
        boolean routed = server.handleClientResponse(new JsonRpcMessage.Response(requestId, json("""
                {"role": "assistant", "content": {"type": "text", "text": "hi there"}, "model": "test-model"}
                """)), session);

        assertThat(routed).isTrue();
        Optional<JsonRpcMessage> response = running.get(10, TimeUnit.SECONDS);
        assertThat(response).get().isInstanceOf(JsonRpcMessage.Response.class);
        JsonNode onWire = Wire.onWire(response.orElseThrow());
        assertThat(onWire.get("id")).isEqualTo(StringNode.valueOf("call-1"));
        assertThat(onWire.get("result")).isEqualTo(json("""
                {"content": [{"type": "text", "text": "model said: hi there"}], "isError": false}
                """));
    }

    @Test
    void client_error_answer_to_a_sampling_request_becomes_an_error_result() throws Exception {
        McpServer server = server();
        McpSession session = McpSession.transientSession(Wire.LATEST);
        BlockingQueue<JsonRpcMessage> toClient = new LinkedBlockingQueue<>();
        JsonRpcMessage.Request call = new JsonRpcMessage.Request(IntNode.valueOf(3), "tools/call",
                Wire.params("{\"name\": \"ask\"}"));

        CompletableFuture<Optional<JsonRpcMessage>> running = CompletableFuture.supplyAsync(
                () -> server.handle(call, session, Caller.anonymous(), toClient::add), executor);
        JsonRpcMessage.Request sent = (JsonRpcMessage.Request) toClient.poll(10, TimeUnit.SECONDS);
        assertThat(server.handleClientResponse(new JsonRpcMessage.ErrorResponse(sent.id(),
                new JsonRpcError(-1, "User rejected sampling request")), session)).isTrue();

        JsonNode result = Wire.onWire(running.get(10, TimeUnit.SECONDS).orElseThrow()).get("result");
        assertThat(result.get("isError").booleanValue()).isTrue();
        assertThat(text(result)).contains("User rejected sampling request");
    }

    @Test
    void response_to_no_pending_request_is_not_routed() {
        McpServer server = server();

        assertThat(server.handleClientResponse(new JsonRpcMessage.Response(StringNode.valueOf("srv-unknown"),
                json("{}")), McpSession.transientSession(Wire.LATEST))).isFalse();
        assertThat(server.handleClientResponse(new JsonRpcMessage.Response(IntNode.valueOf(1), json("{}")),
                McpSession.transientSession(Wire.LATEST))).isFalse();
    }

    @Test
    void client_that_did_not_declare_sampling_gets_an_error_result_instead_of_a_request() {
        Wire wire = new Wire(server());
        wire.initialize("{\"elicitation\": {}, \"roots\": {}}");

        JsonNode result = wire.result("tools/call", "{\"name\": \"ask\"}");

        assertThat(result.get("isError").booleanValue()).isTrue();
        assertThat(text(result)).contains("sampling");
        assertThat(wire.sent).noneMatch(JsonRpcMessage.Request.class::isInstance);
    }

    @Test
    void sink_that_cannot_carry_requests_gives_an_error_result_instead_of_waiting() {
        McpServer server = server();
        JsonRpcMessage.Request call = new JsonRpcMessage.Request(IntNode.valueOf(1), "tools/call",
                Wire.params("{\"name\": \"ask\"}"));

        Optional<JsonRpcMessage> response = server.handle(call, McpSession.transientSession(Wire.LATEST),
                Caller.anonymous(), MessageSink.NONE);

        JsonNode result = Wire.onWire(response.orElseThrow()).get("result");
        assertThat(result.get("isError").booleanValue()).isTrue();
        assertThat(text(result)).contains("sampling/createMessage");
    }

    // --- cancellation

    @Test
    void cancelled_request_is_interrupted_and_gets_no_response() throws Exception {
        McpServer server = server();
        McpSession session = new Sessions(Duration.ofMinutes(5), 100, 10, Clock.systemUTC()).create(Caller.anonymous(), Wire.LATEST);
        JsonRpcMessage.Request call = new JsonRpcMessage.Request(IntNode.valueOf(7), "tools/call",
                Wire.params("{\"name\": \"block\"}"));

        CompletableFuture<Optional<JsonRpcMessage>> running = CompletableFuture.supplyAsync(
                () -> server.handle(call, session, Caller.anonymous(), message -> true), executor);
        assertThat(blockingToolStarted.await(10, TimeUnit.SECONDS)).isTrue();
        server.handleNotification(new JsonRpcMessage.Notification("notifications/cancelled",
                Wire.params("{\"requestId\": 7, \"reason\": \"user pressed stop\"}")), session);

        assertThat(running.get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(session.inFlight(IntNode.valueOf(7))).isEmpty();
    }

    @Test
    void request_with_a_string_id_is_cancelled_by_that_string_id() throws Exception {
        McpServer server = server();
        McpSession session = new Sessions(Duration.ofMinutes(5), 100, 10, Clock.systemUTC()).create(Caller.anonymous(), Wire.LATEST);
        JsonRpcMessage.Request call = new JsonRpcMessage.Request(StringNode.valueOf("req-abc"), "tools/call",
                Wire.params("{\"name\": \"block\"}"));

        CompletableFuture<Optional<JsonRpcMessage>> running = CompletableFuture.supplyAsync(
                () -> server.handle(call, session, Caller.anonymous(), message -> true), executor);
        assertThat(blockingToolStarted.await(10, TimeUnit.SECONDS)).isTrue();
        server.handleNotification(new JsonRpcMessage.Notification("notifications/cancelled",
                Wire.params("{\"requestId\": \"req-abc\"}")), session);

        assertThat(running.get(10, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void cancellation_of_another_request_id_leaves_the_request_running() throws Exception {
        McpServer server = server();
        McpSession session = new Sessions(Duration.ofMinutes(5), 100, 10, Clock.systemUTC()).create(Caller.anonymous(), Wire.LATEST);
        JsonRpcMessage.Request call = new JsonRpcMessage.Request(IntNode.valueOf(7), "tools/call",
                Wire.params("{\"name\": \"block\"}"));

        CompletableFuture<Optional<JsonRpcMessage>> running = CompletableFuture.supplyAsync(
                () -> server.handle(call, session, Caller.anonymous(), message -> true), executor);
        assertThat(blockingToolStarted.await(10, TimeUnit.SECONDS)).isTrue();
        server.handleNotification(new JsonRpcMessage.Notification("notifications/cancelled",
                Wire.params("{\"requestId\": \"7\"}")), session);
        server.handleNotification(new JsonRpcMessage.Notification("notifications/cancelled",
                Wire.params("{\"requestId\": 8}")), session);

        assertThat(session.inFlight(IntNode.valueOf(7))).hasValueSatisfying(ctx -> assertThat(ctx.isCancelled()).isFalse());
        assertThat(running).isNotDone();

        server.handleNotification(new JsonRpcMessage.Notification("notifications/cancelled",
                Wire.params("{\"requestId\": 7}")), session);
        assertThat(running.get(10, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void ending_a_session_cancels_its_running_requests() throws Exception {
        McpServer server = server();
        McpSession session = server.sessions().create(Caller.anonymous(), Wire.LATEST);
        JsonRpcMessage.Request call = new JsonRpcMessage.Request(StringNode.valueOf("r"), "tools/call",
                Wire.params("{\"name\": \"block\"}"));

        CompletableFuture<Optional<JsonRpcMessage>> running = CompletableFuture.supplyAsync(
                () -> server.handle(call, session, Caller.anonymous(), message -> true), executor);
        assertThat(blockingToolStarted.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(server.sessions().end(session.id().orElseThrow())).isTrue();
        assertThat(running.get(10, TimeUnit.SECONDS)).isEmpty();
    }
}
