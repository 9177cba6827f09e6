package io.gatehouse.transport;

import io.gatehouse.mcp.context.LogLevel;
import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.internal.server.AccessPolicy;
import io.gatehouse.mcp.internal.server.McpServer;
import io.gatehouse.mcp.tools.Tool;
import io.gatehouse.mcp.tools.ToolResult;
import io.gatehouse.rs.audit.AuthAudit;
import io.gatehouse.rs.bearer.BearerAuthentication;
import io.gatehouse.rs.bearer.ChallengeHeader;
import io.gatehouse.rs.metadata.ProtectedResourceMetadata;
import io.gatehouse.rs.token.AccessToken;
import io.gatehouse.rs.token.InvalidTokenException;
import io.gatehouse.testkit.McpTestClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * A real Gatehouse HTTP server on a free loopback port, protected by a stub verifier: the token {@code tools} carries
 * {@code mcp:tools}, the token {@code deployer} carries {@code mcp:tools mcp:deploy}, any other is invalid. Its tools
 * ask for {@code mcp:deploy} at run time (SEP-2350), one of them after it has streamed a log message. It serves
 * stub OAuth endpoints too: {@code /oauth/token} (for programs on any origin) and {@code /oauth/login} (a page).
 */
final class ProtectedTestServer implements AutoCloseable {

    static final String RESOURCE_METADATA = "http://localhost/.well-known/oauth-protected-resource/mcp";

    /** OAuth endpoints that answer 200 with the path they were asked for. */
    static final class StubOAuth implements OAuthEndpoints {
        @Override
        public Optional<OAuthResponse> handle(OAuthRequest request) {
            return Optional.of(new OAuthResponse(200, Map.of("Content-Type", "application/json"), List.of(),
                    ("{\"path\":\"" + request.path() + "\"}").getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public OAuthResponse malformedRequest(String path) {
            return new OAuthResponse(400, Map.of(), List.of(), new byte[0]);
        }

        @Override
        public boolean owns(String path) {
            return path.equals("/oauth/token") || path.equals("/oauth/login");
        }

        @Override
        public boolean isCrossOrigin(String path) {
            return path.equals("/oauth/token");
        }
    }

    final GatehouseHttpServer http;

    private ProtectedTestServer(GatehouseHttpServer http) {
        this.http = http;
    }

    static ProtectedTestServer start() throws Exception {
        return start(List.of());
    }

    /** The same server with more tools. */
    static ProtectedTestServer start(List<Tool> extraTools) throws Exception {
        McpServer.Builder builder = McpServer.builder("test", "1");
        extraTools.forEach(builder::tool);
        McpServer mcp = builder
                .tool(Tool.builder("hello").description("Says hello").handler((args, ctx) -> ToolResult.text("hello")))
                .tool(Tool.builder("deploy").description("Needs mcp:deploy, checked at run time")
                        .handler((args, ctx) -> {
                            ctx.caller().requireScope("mcp:deploy");
                            return ToolResult.text("deployed by " + ctx.caller().username());
                        }))
                .tool(Tool.builder("deploy_after_log").description("Logs, then needs mcp:deploy")
                        .handler((args, ctx) -> {
                            ctx.log(LogLevel.INFO, "test", "starting");
                            ctx.caller().requireScope("mcp:deploy");
                            return ToolResult.text("deployed");
                        }))
                .accessPolicy(AccessPolicy.OPEN)
                .build();
        AuthAudit audit = new AuthAudit(new SimpleMeterRegistry(), true);
        BearerAuthentication authentication = new BearerAuthentication(token -> switch (token) {
            case "tools" -> token("alice", Set.of("mcp:tools"));
            case "deployer" -> token("dora", Set.of("mcp:tools", "mcp:deploy"));
            default -> throw new InvalidTokenException("unknown test token", "The access token is not valid");
        }, 4096, audit);
        GatehouseHttpServer http = new GatehouseHttpServer(mcp, TransportConfig.defaults().withPort(0), Json.object(),
                url -> new Security(Optional.of(new Protection(authentication, new ChallengeHeader(RESOURCE_METADATA, List.of("mcp:tools")),
                        new ProtectedResourceMetadata(url, List.of("http://localhost"), List.of("mcp:tools"), "test", Optional.empty()),
                        Optional.empty(), ProtectedTestServer::status)), Optional.of(new StubOAuth())));
        http.start();
        return new ProtectedTestServer(http);
    }

    private static AccessToken token(String user, Set<String> scopes) {
        return new AccessToken("http://localhost", user, user, "test-client", scopes, Set.of(), List.of("http://localhost/mcp"),
                Instant.now().plusSeconds(300), "");
    }

    private static ObjectNode status() {
        return Json.object();
    }

    /** A client without a token. */
    McpTestClient anonymous() {
        return McpTestClient.to(http.mcpUri());
    }

    /** A client presenting the token. */
    McpTestClient with(String token) {
        return McpTestClient.to(http.mcpUri()).header("Authorization", "Bearer " + token);
    }

    String origin() {
        return "http://localhost:" + http.port();
    }

    @Override
    public void close() throws Exception {
        http.stop();
    }
}
