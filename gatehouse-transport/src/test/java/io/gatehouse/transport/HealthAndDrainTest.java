package io.gatehouse.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.internal.server.McpServer;
import io.gatehouse.mcp.tools.Tool;
import io.gatehouse.mcp.tools.ToolResult;
import io.gatehouse.testkit.McpReply;
import io.gatehouse.testkit.McpTestClient;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 14 point 4: the health paths a load balancer probes ({@code /health/live}, {@code /health/ready}) and the
 * drain on stop: readiness 503 at once, still serving during the drain, then no new connection while the request
 * in flight still completes.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("issue-14")
class HealthAndDrainTest {

    @Test
    void public_live_and_ready_say_only_the_status_and_the_management_listener_says_which_check_failed() throws Exception {
        boolean[] upstreamUp = {true};
        GatehouseHttpServer http = server(Duration.ZERO, new CountDownLatch(0), () -> upstreamUp[0]);
        try {
            McpTestClient client = McpTestClient.to(http.mcpUri());
            McpTestClient management = McpTestClient.to(java.net.URI.create("http://127.0.0.1:" + http.managementPort().orElseThrow() + "/"));
            for (String path : HealthEndpoint.PATHS) {
                McpReply reply = client.raw("GET", path, null);
                assertThat(reply.status()).as(path).isEqualTo(200);
                assertThat(reply.json().toString()).as(path).isEqualTo("{\"status\":\"ok\"}");
                assertThat(reply.header("Cache-Control")).contains("no-store");
                assertThat(management.raw("GET", path, null).status()).as(path).isEqualTo(200);
            }
            assertThat(management.raw("GET", "/health/ready", null).json().path("sessionMode").asString()).isEqualTo("stateless");

            upstreamUp[0] = false;
            McpReply ready = client.raw("GET", "/health/ready", null);
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.json().toString()).isEqualTo("{\"status\":\"unavailable\"}");
            assertThat(client.raw("GET", "/health", null).status()).isEqualTo(503);
            assertThat(client.raw("GET", "/health/live", null).status()).isEqualTo(200);
            assertThat(management.raw("GET", "/health/ready", null).json().path("status").asString()).isEqualTo("unavailable");
            assertThat(management.raw("GET", "/health/nope", null).status()).isEqualTo(404);
        } finally {
            http.stop();
        }
    }

    @Test
    void stop_turns_readiness_503_at_once_keeps_serving_through_the_drain_then_refuses_connections_while_the_request_in_flight_completes()
            throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        GatehouseHttpServer http = server(Duration.ofSeconds(3), release, () -> true);
        int port = http.port();
        McpTestClient client = McpTestClient.to(http.mcpUri());
        CompletableFuture<McpReply> inFlight = CompletableFuture.supplyAsync(() -> client.call("tools/call", Map.of("name", "slow")));
        awaitTrue("the slow call is running", () -> SLOW_STARTED.getCount() == 0);
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
            try {
                http.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        awaitTrue("readiness is 503", () -> McpTestClient.to(http.mcpUri()).raw("GET", "/health/ready", null).status() == 503);
        McpReply ready = McpTestClient.to(http.mcpUri()).raw("GET", "/health/ready", null);
        assertThat(ready.json().toString()).isEqualTo("{\"status\":\"stopping\"}");
        assertThat(McpTestClient.to(http.mcpUri()).raw("GET", "/health/live", null).status())
                .as("live while draining").isEqualTo(200);

        awaitTrue("the listener is closed", () -> !accepts(port));
        assertThat(inFlight).isNotDone();
        release.countDown();
        JsonNode result = inFlight.get(30, TimeUnit.SECONDS).result();
        assertThat(result.path("content").get(0).path("text").asString()).isEqualTo("finished");
        stopped.get(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.1", port), 2000))
                .isInstanceOf(ConnectException.class);
    }

    private static final CountDownLatch SLOW_STARTED = new CountDownLatch(1);

    private static GatehouseHttpServer server(Duration drain, CountDownLatch release, BooleanSupplier upstreams) throws Exception {
        TransportConfig d = TransportConfig.defaults();
        TransportConfig config = new TransportConfig(d.host(), 0, d.mcpPath(), Optional.empty(), SessionMode.STATELESS,
                d.allowedOrigins(), d.allowedHosts(), d.maxRequestBytes(), d.maxHeaderBytes(), d.sseKeepAlive(),
                d.sseIdleTimeout(), d.idleTimeout(), drain, Optional.empty(), d.trustedProxies());
        McpServer mcp = McpServer.builder("test", "1").subscriptions(false)
                .tool(Tool.builder("slow").description("Answers once released").handler((args, ctx) -> {
                    SLOW_STARTED.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return ToolResult.text("finished");
                }))
                .build();
        GatehouseHttpServer http = new GatehouseHttpServer(mcp, config, Json::object, url -> Security.NONE,
                Optional.of(new ManagementListener("127.0.0.1", 0)), ServerMetrics.unexposed(), upstreams);
        http.start();
        return http;
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}
