package io.gatehouse.mcp.internal.server;

import static io.gatehouse.mcp.internal.server.Wire.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.context.LogLevel;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import io.gatehouse.mcp.tools.Tool;
import io.gatehouse.mcp.tools.ToolResult;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.IntNode;

/**
 * H-9 in the engine: the transport cancels a 2026-07-28 request when its client closes the response stream, through
 * {@link McpSession#cancelRequests()} on the request's session. The handler sees {@code isCancelled()}, its thread is
 * interrupted, and the engine answers nothing.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ModernCancellationTest {

    private final CountDownLatch started = new CountDownLatch(1);
    private final CompletableFuture<String> outcome = new CompletableFuture<>();

    private final McpServer server = McpServer.builder("t", "1")
            .tool(Tool.builder("slow").handler((args, ctx) -> {
                started.countDown();
                try {
                    Thread.sleep(Duration.ofMinutes(1));
                    outcome.complete("ran to the end");
                } catch (InterruptedException e) {
                    outcome.complete(ctx.isCancelled() ? "cancelled" : "interrupted");
                }
                return ToolResult.text("done");
            }))
            .build();

    private final McpSession session = McpSession.modern(json("{}"), null, null);

    private CompletableFuture<Optional<JsonRpcMessage>> callSlow() {
        JsonRpcMessage.Request request = new JsonRpcMessage.Request(IntNode.valueOf(1), "tools/call",
                Wire.params("{\"name\": \"slow\", \"arguments\": {}}"));
        return CompletableFuture.supplyAsync(() -> server.handle(request, session, Caller.anonymous(), MessageSink.NONE),
                Executors.newVirtualThreadPerTaskExecutor());
    }

    @Test
    @Tag("H-9")
    void a_running_request_whose_stream_closed_is_cancelled_interrupted_and_unanswered() throws Exception {
        CompletableFuture<Optional<JsonRpcMessage>> answer = callSlow();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        session.cancelRequests();

        assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo("cancelled");
        assertThat(answer.get(10, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    @Tag("H-9")
    void a_request_whose_stream_closed_before_its_handler_ran_is_cancelled_as_it_starts() throws Exception {
        session.cancelRequests();

        assertThat(callSlow().get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo("cancelled");
    }

    @Test
    void a_modern_session_is_transient_and_keeps_what_the_request_declared() {
        McpSession modern = McpSession.modern(json("{\"sampling\": {}}"), json("{\"name\": \"c\", \"version\": \"1\"}"),
                LogLevel.WARNING);

        assertThat(modern.modern()).isTrue();
        assertThat(modern.isTransient()).isTrue();
        assertThat(modern.protocolVersion()).isEqualTo("2026-07-28");
        assertThat(modern.clientCapabilities()).isEqualTo(json("{\"sampling\": {}}"));
        assertThat(modern.clientInfo()).contains(json("{\"name\": \"c\", \"version\": \"1\"}"));
        assertThat(modern.logLevel()).contains(LogLevel.WARNING);
        assertThat(McpSession.transientSession("2025-11-25").modern()).isFalse();
    }
}
