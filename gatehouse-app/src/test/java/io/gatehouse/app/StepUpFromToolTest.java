package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gatehouse.server.internal.auth.LocalKeys;
import io.gatehouse.server.internal.auth.ResourceServerSetup;
import io.gatehouse.server.internal.auth.ServerScopes;
import io.gatehouse.server.internal.auth.TokenMinter;
import io.gatehouse.server.internal.config.GatehouseConfig;
import io.gatehouse.server.internal.config.Settings;
import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.internal.server.McpServer;
import io.gatehouse.mcp.tools.Tool;
import io.gatehouse.mcp.tools.ToolResult;
import io.gatehouse.testkit.McpReply;
import io.gatehouse.testkit.McpTestClient;
import io.gatehouse.transport.GatehouseHttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * SEP-2350 step-up from inside a tool, end to end in {@code local-keys} mode with the application's own resource
 * server wiring: a tool that asks {@code ctx.caller().requireScope(...)} and finds the scope missing is answered like
 * a declared scope that is missing (audit line {@code denied}, 403, {@code WWW-Authenticate: Bearer
 * error="insufficient_scope", scope=..., resource_metadata=...}, the request's id), or, when it has already sent
 * progress (the answer is an event stream), with a JSON-RPC error event for its request that ends the stream.
 * The tools are this test's own, registered through the {@link McpServer} builder as a library user would.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("RS-11")
@Tag("RS-12")
@Tag("SEP-2350")
class StepUpFromToolTest {

    static GatehouseHttpServer http;
    static TokenMinter minter;

    final Logger audit = (Logger) LoggerFactory.getLogger("gatehouse.audit");
    final ListAppender<ILoggingEvent> captured = new ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        Path data = Files.createTempDirectory("gatehouse-step-up");
        GatehouseConfig config = GatehouseConfig.from(Settings.load(Optional.empty(), Optional.empty(), Map.of(),
                Map.of("port", "0", "auth", "local-keys", "data-dir", data.toString())));
        Clock clock = Clock.systemUTC();
        McpServer.Builder builder = McpServer.builder("step-up", "1").clock(clock)
                .tool(Tool.builder("deploy").description("Deploys; needs mcp:deploy, asked at run time")
                        .handler((args, ctx) -> {
                            ctx.caller().requireScope("mcp:deploy");
                            return ToolResult.text("deployed by " + ctx.caller().username());
                        }))
                .tool(Tool.builder("deploy_with_progress").description("Reports progress, then needs mcp:deploy")
                        .handler((args, ctx) -> {
                            ctx.progress(1, 2.0, "checking");
                            ctx.caller().requireScope("mcp:deploy");
                            return ToolResult.text("deployed");
                        }));
        McpServer mcp = builder.accessPolicy(ResourceServerSetup.policy(config)).build();
        http = new GatehouseHttpServer(mcp, config.transport(), Json.object(),
                ResourceServerSetup.security(config, Optional.empty(), ServerScopes.of(mcp.declaredScopes(),
                        config.resourceServer().access()), new SimpleMeterRegistry(), clock), Optional.empty());
        http.start();
        minter = new TokenMinter(LocalKeys.readPrivateKey(data.resolve("keys").resolve(LocalKeys.PRIVATE_KEY_FILE)));
    }

    @AfterAll
    static void stop() throws Exception {
        http.stop();
    }

    @BeforeEach
    void capture() {
        captured.start();
        audit.addAppender(captured);
    }

    @AfterEach
    void release() {
        audit.detachAppender(captured);
    }

    static McpTestClient as(String user, String... scopes) throws Exception {
        String token = minter.mint(new TokenMinter.Grant(user, user, List.of(scopes), List.of()), "http://localhost:" + http.port(),
                List.of(http.mcpUri().toString()), Duration.ofMinutes(5), Instant.now());
        return McpTestClient.to(http.mcpUri()).header("Authorization", "Bearer " + token).initialize();
    }

    @Test
    void a_scope_the_tool_asks_for_at_run_time_and_the_token_lacks_is_a_403_challenge_naming_it() throws Exception {
        McpReply reply = as("alice", "mcp:tools").call("tools/call", Map.of("name", "deploy", "arguments", Map.of()));

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h)
                .startsWith("Bearer error=\"insufficient_scope\"")
                .contains("scope=\"mcp:deploy\"")
                .contains("resource_metadata=\"http://localhost:" + http.port() + "/.well-known/oauth-protected-resource/mcp\""));
        assertThat(reply.json().path("id").isIntegralNumber()).as("the request's id").isTrue();
        assertThat(reply.error().path("code").asInt()).isEqualTo(-32001);
        assertThat(auditLines()).anySatisfy(line -> assertThat(line).startsWith("denied sub=alice")
                .contains("method=tools/call", "target=deploy"));
    }

    @Test
    void with_the_scope_the_tool_runs_and_sees_the_caller() throws Exception {
        McpReply reply = as("dora", "mcp:tools", "mcp:deploy").call("tools/call", Map.of("name", "deploy", "arguments", Map.of()));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.result().path("content").get(0).path("text").asString()).isEqualTo("deployed by dora");
        assertThat(auditLines()).noneSatisfy(line -> assertThat(line).startsWith("denied"));
    }

    @Test
    void after_progress_has_been_streamed_the_refusal_is_an_error_event_for_the_request_that_ends_the_stream() throws Exception {
        McpReply reply = as("bob", "mcp:tools").call("tools/call", Map.of("name", "deploy_with_progress", "arguments", Map.of(),
                "_meta", Map.of("progressToken", "deploy-1")));

        assertThat(reply.status()).as("the status was sent with the first event").isEqualTo(200);
        assertThat(reply.isSse()).isTrue();
        assertThat(reply.events()).hasSize(2);
        assertThat(reply.events().getFirst().path("method").asString()).isEqualTo("notifications/progress");
        JsonNode last = reply.events().getLast();
        assertThat(last.path("id").isIntegralNumber()).as("the request's id").isTrue();
        assertThat(last.path("error").path("code").asInt()).isEqualTo(-32001);
        assertThat(last.path("error").path("message").asString()).contains("insufficient_scope", "mcp:deploy");
        assertThat(auditLines()).anySatisfy(line -> assertThat(line).startsWith("denied sub=bob").contains("target=deploy_with_progress"));
    }

    List<String> auditLines() {
        return captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
