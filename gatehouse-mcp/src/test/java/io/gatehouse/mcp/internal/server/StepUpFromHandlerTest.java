package io.gatehouse.mcp.internal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.gatehouse.mcp.content.ResourceContents;
import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.context.InsufficientScopeException;
import io.gatehouse.mcp.context.RequestContext;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcErrorCodes;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import io.gatehouse.mcp.prompts.Prompt;
import io.gatehouse.mcp.prompts.PromptMessage;
import io.gatehouse.mcp.prompts.PromptResult;
import io.gatehouse.mcp.resources.Resource;
import io.gatehouse.mcp.resources.ResourceTemplate;
import io.gatehouse.mcp.tools.Tool;
import io.gatehouse.mcp.tools.ToolExecutionException;
import io.gatehouse.mcp.tools.ToolResult;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.node.IntNode;

/**
 * A handler that finds at run time that the caller lacks a scope throws {@link InsufficientScopeException}: the
 * engine lets it out of {@link McpServer#handle} unchanged, on the calling thread, so the transport can answer
 * with the 403 challenge (SEP-2350 step-up). Every other failure keeps its usual rendering.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StepUpFromHandlerTest {

    private final AtomicReference<InsufficientScopeException> thrown = new AtomicReference<>();
    private final AtomicReference<Thread> ranOn = new AtomicReference<>();

    /** Each handler asks for {@code mcp:admin} the way a handler would, and remembers what it threw. */
    private <T> T requireAdmin(RequestContext ctx, T result) {
        ranOn.set(Thread.currentThread());
        try {
            ctx.caller().requireScope("mcp:admin");
        } catch (InsufficientScopeException e) {
            thrown.set(e);
            throw e;
        }
        return result;
    }

    private final McpServer server = McpServer.builder("t", "1")
            .tool(Tool.builder("deploy").handler((args, ctx) -> requireAdmin(ctx, ToolResult.text("deployed"))))
            .tool(Tool.builder("quota").handler((args, ctx) -> {
                throw new ToolExecutionException("Daily quota exceeded");
            }))
            .tool(Tool.builder("broken").handler((args, ctx) -> {
                throw new IllegalStateException("secret detail");
            }))
            .prompt(Prompt.builder("audit").handler((args, ctx) -> requireAdmin(ctx, PromptResult.of(null, PromptMessage.user("audit")))))
            .prompt(Prompt.builder("broken").handler((args, ctx) -> {
                throw new IllegalStateException("secret detail");
            }))
            .resource(Resource.builder("test://secret").reader((uri, vars, ctx) ->
                    requireAdmin(ctx, List.of(ResourceContents.text(uri, null, "secret")))))
            .resource(Resource.builder("test://broken").reader((uri, vars, ctx) -> {
                throw new IllegalStateException("secret detail");
            }))
            .resourceTemplate(ResourceTemplate.builder("test://vault/{key}").reader((uri, vars, ctx) ->
                    requireAdmin(ctx, List.of(ResourceContents.text(uri, null, "value")))))
            .build();

    private static Caller caller(String... scopes) {
        return new Caller("https://issuer.example", "user-1", "alice", "client-1", Set.of(scopes), Set.of(), Instant.MAX);
    }

    private Optional<JsonRpcMessage> handle(String method, String params, Caller caller, McpSession session) {
        return server.handle(new JsonRpcMessage.Request(IntNode.valueOf(1), method, Wire.params(params)), session, caller,
                MessageSink.NONE);
    }

    private Optional<JsonRpcMessage> handle(String method, String params, Caller caller) {
        return handle(method, params, caller, McpSession.transientSession(Wire.LATEST));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tools/call     | {\"name\": \"deploy\"}",
            "prompts/get    | {\"name\": \"audit\"}",
            "resources/read | {\"uri\": \"test://secret\"}",
            "resources/read | {\"uri\": \"test://vault/k1\"}"})
    @Tag("RS-12")
    void a_handlers_insufficient_scope_exception_leaves_handle_unchanged_on_the_calling_thread(String method, String params) {
        InsufficientScopeException e = catchThrowableOfType(InsufficientScopeException.class,
                () -> handle(method, params, caller("mcp:tools", "mcp:prompts", "mcp:read")));

        assertThat(e).isNotNull().isSameAs(thrown.get());
        assertThat(e.requiredScopes()).containsExactly("mcp:admin");
        assertThat(ranOn.get()).isSameAs(Thread.currentThread());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tools/call     | {\"name\": \"deploy\"}",
            "prompts/get    | {\"name\": \"audit\"}",
            "resources/read | {\"uri\": \"test://vault/k1\"}"})
    void a_caller_holding_the_scope_gets_the_result(String method, String params) {
        assertThat(handle(method, params, caller("mcp:admin"))).get().isInstanceOf(JsonRpcMessage.Response.class);
    }

    @Test
    void the_refused_request_is_no_longer_in_flight_on_its_session() {
        McpSession session = server.sessions().create(caller(), Wire.LATEST);

        catchThrowableOfType(InsufficientScopeException.class, () -> handle("tools/call", "{\"name\": \"deploy\"}", caller(), session));

        assertThat(session.inFlight(IntNode.valueOf(1))).isEmpty();
    }

    @Test
    void a_tool_execution_exception_is_still_a_tool_error_result() {
        JsonRpcMessage answer = handle("tools/call", "{\"name\": \"quota\"}", caller()).orElseThrow();

        assertThat(Wire.onWire(answer).path("result").path("isError").booleanValue()).isTrue();
        assertThat(Wire.onWire(answer).path("result").path("content").get(0).path("text").stringValue())
                .isEqualTo("Daily quota exceeded");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tools/call     | {\"name\": \"broken\"}",
            "prompts/get    | {\"name\": \"broken\"}",
            "resources/read | {\"uri\": \"test://broken\"}"})
    void any_other_handler_exception_is_still_an_internal_error_without_detail(String method, String params) {
        JsonRpcMessage answer = handle(method, params, caller()).orElseThrow();

        assertThat(answer).isInstanceOf(JsonRpcMessage.ErrorResponse.class);
        assertThat(((JsonRpcMessage.ErrorResponse) answer).error().code()).isEqualTo(JsonRpcErrorCodes.INTERNAL_ERROR);
        assertThat(((JsonRpcMessage.ErrorResponse) answer).error().message()).isEqualTo("Internal error");
    }
}
