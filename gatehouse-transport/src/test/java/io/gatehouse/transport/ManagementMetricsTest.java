package io.gatehouse.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.internal.server.McpServer;
import io.gatehouse.mcp.tools.Tool;
import io.gatehouse.mcp.tools.ToolResult;
import io.gatehouse.testkit.McpReply;
import io.gatehouse.testkit.McpTestClient;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 point 1 in the transport: {@code GET /metrics} is the management listener's, never the public one's, and
 * the request timer's labels stay within fixed sets whatever method names clients invent.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("issue-15")
class ManagementMetricsTest {

    static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";

    SimpleMeterRegistry registry;
    GatehouseHttpServer http;

    @BeforeEach
    void start() throws Exception {
        registry = new SimpleMeterRegistry();
        McpServer mcp = McpServer.builder("test", "1")
                .tool(Tool.builder("hello").description("Says hello").handler((args, ctx) -> ToolResult.text("hello")))
                .build();
        // a stand-in for the Prometheus registry: the meters' names and tags, one a line
        ServerMetrics.MetricsExposition exposition = accept -> new ServerMetrics.MetricsExposition.Scrape(TEXT,
                registry.getMeters().stream().map(m -> m.getId().getName() + " " + m.getId().getTags())
                        .sorted().collect(Collectors.joining("\n")));
        http = new GatehouseHttpServer(mcp, TransportConfig.defaults().withPort(0), () -> Json.object(), url -> Security.NONE,
                Optional.of(new ManagementListener("127.0.0.1", 0)), new ServerMetrics(registry, Optional.of(exposition)), () -> true);
        http.start();
    }

    @AfterEach
    void stop() throws Exception {
        http.stop();
    }

    McpReply management(String method, String path, String... headers) {
        return McpTestClient.to(URI.create("http://127.0.0.1:" + http.managementPort().orElseThrow() + "/health"))
                .raw(method, path, null, headers);
    }

    @Test
    void the_management_listener_serves_metrics_with_their_content_type_and_the_public_one_does_not() {
        McpTestClient.to(http.mcpUri()).initialize();

        McpReply scrape = management("GET", "/metrics");
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.header("Content-Type")).hasValue(TEXT);
        assertThat(scrape.header("Cache-Control")).hasValue("no-store");
        assertThat(scrape.body()).contains("gatehouse.mcp.requests [tag(method=initialize), tag(outcome=ok)]")
                .contains("gatehouse.mcp.sessions.open").contains("jetty.threads.current");
        assertThat(McpTestClient.to(http.mcpUri()).raw("GET", "/metrics", null).status()).isEqualTo(404);
    }

    @Test
    @Tag("attack")
    void metrics_are_not_for_browsers_and_answer_get_only() {
        int port = http.managementPort().orElseThrow();
        assertThat(management("GET", "/metrics", "Origin", "http://127.0.0.1:" + port).status()).isEqualTo(403);
        assertThat(management("GET", "/metrics", "Host", "evil.example.com:" + port).status()).isEqualTo(403);
        assertThat(management("POST", "/metrics").status()).isEqualTo(405);
        assertThat(management("GET", "/metrics/x").status()).isEqualTo(404);
    }

    @Test
    @Tag("attack")
    void invented_method_names_are_counted_as_other_so_labels_stay_a_fixed_set() {
        McpTestClient client = McpTestClient.to(http.mcpUri()).initialize();
        for (int i = 0; i < 20; i++) {
            client.call("invented/method-" + i, Map.of());
        }
        client.call("tools/call", Map.of("name", "hello", "arguments", Map.of()));

        List<Timer> timers = registry.find("gatehouse.mcp.requests").timers().stream().toList();
        assertThat(timers).allSatisfy(t -> {
            assertThat(t.getId().getTag("method")).isIn(java.util.stream.Stream.concat(McpRequestMetrics.METHODS.stream(),
                    java.util.stream.Stream.of(McpRequestMetrics.OTHER, McpRequestMetrics.UNKNOWN)).toList());
            assertThat(McpRequestMetrics.OUTCOMES).contains(t.getId().getTag("outcome"));
        }).isNotEmpty();
        assertThat(registry.get("gatehouse.mcp.requests").tags("method", "other", "outcome", "error").timer().count()).isEqualTo(20);
        assertThat(registry.get("gatehouse.mcp.requests").tags("method", "tools/call", "outcome", "ok").timer().count()).isEqualTo(1);
        assertThat(registry.getMeters()).map(Meter::getId).map(id -> id.getTags().toString()).noneMatch(t -> t.contains("invented"));
    }
}
