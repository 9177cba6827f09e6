package io.gatehouse.transport;

import io.gatehouse.mcp.content.ResourceContents;
import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcCodec;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import io.gatehouse.mcp.internal.server.AccessPolicy;
import io.gatehouse.mcp.internal.server.McpServer;
import io.gatehouse.mcp.internal.server.McpSession;
import io.gatehouse.mcp.resources.Resource;
import io.gatehouse.mcp.tools.Tool;
import io.gatehouse.mcp.tools.ToolResult;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A real Jetty on a free loopback port whose handler does what the "wire" slice of issue 13 adds to the MCP
 * endpoint, and only that: it reads a POSTed 2026-07-28 request, builds its modern session from {@code _meta}
 * (the shared contract) and hands it to {@link StreamableHttpEndpoint#answer}. So the listen stream, keep-alive,
 * cancellation on close and graceful end are tested on the transport's own code before that slice lands. The
 * caller's scopes come from a test header ({@code X-Test-Scopes}), standing for an authenticated token. A request
 * without the modern {@code _meta} gets a stateless legacy session, for contrast.
 */
final class ModernPathServer implements AutoCloseable {

    static final Duration KEEP_ALIVE = Duration.ofMillis(100);

    final McpServer mcp;
    final StreamableHttpEndpoint endpoint;
    /** Completes when the slow tool stops: true when it was cancelled and interrupted. */
    final CompletableFuture<Boolean> slowToolCancelled = new CompletableFuture<>();
    /** How the ticking tool stopped: "cancelled", "interrupted" or "ran to the end". */
    final CompletableFuture<String> tickingOutcome = new CompletableFuture<>();
    private final Server jetty;
    private final ServerConnector connector;

    ModernPathServer() throws Exception {
        TransportConfig config = new TransportConfig("127.0.0.1", 0, "/mcp", Optional.empty(), SessionMode.STATELESS,
                List.of(), List.of(), 1 << 20, 16 * 1024, KEEP_ALIVE, Duration.ofMinutes(10), Duration.ofMinutes(2), Duration.ZERO, Optional.empty(), List.of());
        mcp = McpServer.builder("test", "1")
                .subscriptions(false)
                .tool(Tool.builder("slow").description("Works silently until cancelled").handler((args, ctx) -> {
                    try {
                        Thread.sleep(Duration.ofMinutes(1));
                        slowToolCancelled.complete(false);
                    } catch (InterruptedException e) {
                        slowToolCancelled.complete(ctx.isCancelled());
                    }
                    return ToolResult.text("finished");
                }))
                .tool(Tool.builder("ticking").description("Reports progress fifty times").handler((args, ctx) -> {
                    for (int i = 1; i <= 50; i++) {
                        ctx.progress(i, 50.0, null);
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            tickingOutcome.complete(ctx.isCancelled() ? "cancelled" : "interrupted");
                            return ToolResult.text("stopped");
                        }
                    }
                    tickingOutcome.complete("ran to the end");
                    return ToolResult.text("done");
                }))
                .resource(Resource.builder("test://watched").reader((uri, vars, ctx) -> List.of(ResourceContents.text(uri, null, "w"))))
                .resource(Resource.builder("test://secret").requiredScopes("mcp:read:secret")
                        .reader((uri, vars, ctx) -> List.of(ResourceContents.text(uri, null, "s"))))
                .accessPolicy(new AccessPolicy() {
                    @Override
                    public Optional<Denial> check(Caller caller, String method, ObjectNode params,
                                                  Requirement declared) {
                        return caller.scopes().containsAll(declared.scopes()) ? Optional.empty()
                                : Optional.of(new Denial(declared.scopes(), "needs " + String.join(" ", declared.scopes())));
                    }

                    @Override
                    public boolean canSee(Caller caller, Feature feature, String name, Requirement declared) {
                        return true;
                    }
                })
                .build();
        endpoint = new StreamableHttpEndpoint(mcp, config, Optional.empty());
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        jetty = new Server(threads);
        connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        jetty.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                serve(request, response, callback);
                return true;
            }
        });
        jetty.start();
    }

    private void serve(Request request, Response response, Callback callback) throws Exception {
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(request)) {
            body = in.readAllBytes();
        }
        JsonRpcMessage.Request rpc = (JsonRpcMessage.Request) JsonRpcCodec.parse(body);
        JsonNode meta = rpc.params().path("_meta");
        McpSession session = meta.has("io.modelcontextprotocol/protocolVersion")
                ? McpSession.modern(meta.get("io.modelcontextprotocol/clientCapabilities"),
                        meta.get("io.modelcontextprotocol/clientInfo"), null)
                : McpSession.transientSession("2025-11-25"); // a stateless legacy request, for contrast
        try {
            endpoint.answer(rpc, session, caller(request), request, response, callback,
                    Accept.parse(request.getHeaders().get(HttpHeader.ACCEPT)));
        } catch (Refusal refusal) {
            new RefusalWriter(Optional.empty()).write(refusal, RefusalWriter.Dialect.JSON_RPC, response, callback);
        }
    }

    private static Caller caller(Request request) {
        String scopes = request.getHeaders().get("X-Test-Scopes");
        return scopes == null ? Caller.anonymous() : new Caller("https://issuer", "tester", "tester", "client",
                Arrays.stream(scopes.split(",")).filter(s -> !s.isBlank()).collect(Collectors.toSet()), Set.of(), Instant.MAX);
    }

    int port() {
        return connector.getLocalPort();
    }

    /** What {@link GatehouseHttpServer#stop()} does first: every listen stream gets its final result. */
    void endSubscriptions() {
        endpoint.endSubscriptions(Duration.ofSeconds(5));
    }

    @Override
    public void close() throws Exception {
        endSubscriptions();
        jetty.stop();
    }
}
