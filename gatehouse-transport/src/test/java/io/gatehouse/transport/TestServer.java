package io.gatehouse.transport;

import io.gatehouse.mcp.content.ResourceContents;
import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.resources.Resource;
import io.gatehouse.mcp.context.LogLevel;
import io.gatehouse.mcp.internal.server.McpServer;
import io.gatehouse.mcp.tools.Tool;
import io.gatehouse.mcp.tools.ToolResult;
import io.gatehouse.testkit.McpTestClient;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import tools.jackson.databind.node.ObjectNode;

/** A real Gatehouse HTTP server on a free loopback port, with a few tools that exercise the transport. */
final class TestServer implements AutoCloseable {

    final McpServer mcp;
    final GatehouseHttpServer http;

    private TestServer(McpServer mcp, GatehouseHttpServer http) {
        this.mcp = mcp;
        this.http = http;
    }

    static TestServer start() throws Exception {
        return start(c -> c);
    }

    static TestServer start(UnaryOperator<TransportConfig> customize) throws Exception {
        return start(customize, Optional.empty());
    }

    static TestServer start(UnaryOperator<TransportConfig> customize, Optional<ManagementListener> management) throws Exception {
        TransportConfig config = customize.apply(TransportConfig.defaults().withPort(0));
        McpServer mcp = McpServer.builder("test", "1")
                .subscriptions(config.sessionMode() == SessionMode.STATEFUL)
                .tool(Tool.builder("hello").description("Says hello")
                        .handler((args, ctx) -> ToolResult.text("hello")))
                .tool(Tool.builder("chatty").description("Logs twice, then answers")
                        .handler((args, ctx) -> {
                            ctx.log(LogLevel.INFO, "test", "first");
                            ctx.log(LogLevel.INFO, "test", "second");
                            return ToolResult.text("done");
                        }))
                .tool(Tool.builder("ask").description("Asks the client's model")
                        .handler((args, ctx) -> {
                            ObjectNode params = Json.object();
                            params.put("maxTokens", 10);
                            return ToolResult.text("model said: " + ctx.createMessage(params).path("content").path("text").asString(""));
                        }))
                .resource(Resource.builder("test://watched").name("watched").description("A watched resource")
                        .reader((uri, vars, ctx) -> List.of(ResourceContents.text(uri, "text/plain", "v1"))))
                .build();
        GatehouseHttpServer http = new GatehouseHttpServer(mcp, config, Json.object(), url -> Security.NONE, management);
        http.start();
        return new TestServer(mcp, http);
    }

    McpTestClient client() {
        return McpTestClient.to(http.mcpUri());
    }

    /** A client of the management listener (started with one). */
    McpTestClient management() {
        return McpTestClient.to(java.net.URI.create("http://127.0.0.1:" + http.managementPort().orElseThrow() + "/health"));
    }

    String origin() {
        return "http://127.0.0.1:" + http.port();
    }

    @Override
    public void close() throws Exception {
        http.stop();
    }
}
