package io.gatehouse.mcp.internal.server;

import static io.gatehouse.mcp.internal.server.Wire.json;
import static io.gatehouse.mcp.internal.server.Wire.onWire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.gatehouse.mcp.content.ResourceContents;
import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.context.InsufficientScopeException;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcError;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcErrorCodes;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import io.gatehouse.mcp.internal.server.AccessPolicy.Denial;
import io.gatehouse.mcp.internal.server.AccessPolicy.Feature;
import io.gatehouse.mcp.internal.server.AccessPolicy.Requirement;
import io.gatehouse.mcp.resources.Resource;
import io.gatehouse.mcp.resources.ResourceTemplate;
import io.gatehouse.mcp.tools.Tool;
import io.gatehouse.mcp.tools.ToolResult;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * {@code subscriptions/listen} in the engine (MCP 2026-07-28 subscriptions pattern), driven the way the transport
 * drives it: a modern session, {@link McpServer#handle} on its own thread, a sink standing for the response stream.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SubscriptionsListenTest {

    /** Needs every scope a resource declares. */
    private static final AccessPolicy DECLARED_SCOPES = new AccessPolicy() {
        @Override
        public Optional<Denial> check(Caller caller, String method, ObjectNode params, Requirement declared) {
            return caller.scopes().containsAll(declared.scopes()) ? Optional.empty()
                    : Optional.of(new Denial(declared.scopes(), "The resource " + params.path("uri").asString()
                    + " requires the scope " + String.join(" ", declared.scopes())));
        }

        @Override
        public boolean canSee(Caller caller, Feature feature, String name, Requirement declared) {
            return true;
        }
    };

    private static McpServer.Builder builder() {
        return McpServer.builder("t", "1")
                .subscriptions(false) // a stateless legacy server: the modern listen is served all the same
                .resource(Resource.builder("test://watched").reader((uri, vars, ctx) -> List.of(ResourceContents.text(uri, null, "w"))))
                .resource(Resource.builder("test://other").reader((uri, vars, ctx) -> List.of(ResourceContents.text(uri, null, "o"))))
                .resource(Resource.builder("test://secret").requiredScopes("mcp:read:secret")
                        .reader((uri, vars, ctx) -> List.of(ResourceContents.text(uri, null, "s"))))
                .resourceTemplate(ResourceTemplate.builder("test://vault/{name}").requiredScopes("mcp:read:vault")
                        .reader((uri, vars, ctx) -> List.of(ResourceContents.text(uri, null, "v"))))
                .accessPolicy(DECLARED_SCOPES);
    }

    private final McpServer server = builder().build();

    /** One listen request in flight: its stream's messages as they arrive, and its answer once it ends. */
    private static final class Stream {
        final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        final McpSession session = McpSession.modern(json("{}"), json("{\"name\":\"t\",\"version\":\"1\"}"), null);
        CompletableFuture<Optional<JsonRpcMessage>> answer;

        JsonNode next() throws InterruptedException {
            JsonNode message = messages.poll(10, TimeUnit.SECONDS);
            assertThat(message).as("a message on the stream").isNotNull();
            return message;
        }

        Optional<JsonRpcMessage> end() throws Exception {
            return answer.get(10, TimeUnit.SECONDS);
        }
    }

    private Stream listen(McpServer server, Caller caller, int id, String notifications) {
        Stream stream = new Stream();
        JsonRpcMessage.Request request = new JsonRpcMessage.Request(IntNode.valueOf(id), "subscriptions/listen",
                Wire.params("{\"notifications\": %s}".formatted(notifications)));
        MessageSink sink = message -> stream.messages.add(onWire(message));
        stream.answer = CompletableFuture.supplyAsync(() -> server.handle(request, stream.session, caller, sink),
                Executors.newVirtualThreadPerTaskExecutor());
        return stream;
    }

    private Stream listen(int id, String notifications) {
        return listen(server, Caller.anonymous(), id, notifications);
    }

    private static Caller caller(String subject, Set<String> scopes, Instant expiresAt) {
        return new Caller("https://issuer", subject, subject, "client", scopes, Set.of(), expiresAt);
    }

    @Test
    @Tag("S-2")
    void the_first_message_is_the_acknowledgement_with_the_subscription_id_and_the_honoured_subset() throws Exception {
        Stream stream = listen(7, """
                {"toolsListChanged": true, "promptsListChanged": true, "resourcesListChanged": true,
                 "resourceSubscriptions": ["test://watched", "test://nowhere", "test://watched"]}""");

        assertThat(stream.next()).isEqualTo(json("""
                {"jsonrpc": "2.0", "method": "notifications/subscriptions/acknowledged",
                 "params": {"notifications": {"resourceSubscriptions": ["test://watched"]},
                            "_meta": {"io.modelcontextprotocol/subscriptionId": 7}}}"""));
        server.endSubscriptions();
        stream.end();
    }

    @Test
    @Tag("attack")
    @Tag("S-3")
    void a_client_that_stops_reading_holds_up_only_its_own_stream_and_is_ended_when_its_queue_is_full() throws Exception {
        CountDownLatch neverReads = new CountDownLatch(1);
        AtomicInteger written = new AtomicInteger();
        JsonRpcMessage.Request request = new JsonRpcMessage.Request(IntNode.valueOf(9), "subscriptions/listen",
                Wire.params("{\"notifications\": {\"resourceSubscriptions\": [\"test://watched\"]}}"));
        MessageSink stalled = message -> {
            if (written.incrementAndGet() > 1) { // the acknowledgement goes out; then the client stops reading
                try {
                    neverReads.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return false;
            }
            return true;
        };
        CompletableFuture<Optional<JsonRpcMessage>> answer = CompletableFuture.supplyAsync(() -> server.handle(request,
                McpSession.modern(json("{}"), null, null), Caller.anonymous(), stalled), Executors.newVirtualThreadPerTaskExecutor());
        while (written.get() == 0) {
            Thread.sleep(10);
        }
        Stream other = listen(10, "{\"resourceSubscriptions\": [\"test://watched\"]}");
        other.next();

        // the notifier never waits on a stream: all of these return although one client reads nothing. They go out in
        // rounds the reading client is given time to take in (its writer may be slow to be scheduled on a busy machine),
        // so only the client that reads nothing overflows its queue
        int round = Listener.MAX_PENDING / 2;
        for (int r = 0; r < 4; r++) {
            CompletableFuture<Void> notifier = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < round; i++) {
                    server.notifyResourceUpdated("test://watched");
                }
            });
            notifier.get(30, TimeUnit.SECONDS);
            for (int i = 0; i < round; i++) {
                assertThat(other.next().path("params").path("uri").asString()).isEqualTo("test://watched");
            }
        }

        neverReads.countDown();
        assertThat(answer.get(30, TimeUnit.SECONDS)).as("the stalled subscription was ended").isPresent();
        server.endSubscriptions();
        other.end();
    }

    @Test
    @Tag("S-3")
    void resource_updates_reach_the_stream_tagged_with_its_id_and_only_for_the_uris_it_asked_for() throws Exception {
        Stream stream = listen(8, "{\"resourceSubscriptions\": [\"test://watched\"]}");
        stream.next();

        server.notifyResourceUpdated("test://other");
        server.notifyResourceUpdated("test://watched");

        assertThat(stream.next()).isEqualTo(json("""
                {"jsonrpc": "2.0", "method": "notifications/resources/updated",
                 "params": {"uri": "test://watched", "_meta": {"io.modelcontextprotocol/subscriptionId": 8}}}"""));
        server.endSubscriptions();
        stream.end();
        assertThat(stream.messages).isEmpty();
    }

    @Test
    @Tag("S-3")
    void a_stream_that_asked_only_for_list_changes_gets_nothing_but_its_acknowledgement() throws Exception {
        Stream stream = listen(9, "{\"toolsListChanged\": true}");
        assertThat(stream.next().path("params").path("notifications")).isEqualTo(json("{}"));

        server.notifyResourceUpdated("test://watched");
        server.endSubscriptions();

        stream.end();
        assertThat(stream.messages).isEmpty();
    }

    @Test
    @Tag("S-4")
    void a_subscription_the_server_ends_is_answered_with_the_final_result_carrying_its_id() throws Exception {
        Stream stream = listen(10, "{\"resourceSubscriptions\": [\"test://watched\"]}");
        stream.next();

        server.endSubscriptions();

        JsonNode end = onWire(stream.end().orElseThrow());
        assertThat(end.path("id").asInt()).isEqualTo(10);
        assertThat(end.path("result").path("resultType").asString()).isEqualTo("complete");
        assertThat(end.path("result").path("_meta").path("io.modelcontextprotocol/subscriptionId").asInt()).isEqualTo(10);
        assertThat(end.path("result").path("_meta").has("io.modelcontextprotocol/serverInfo")).isTrue();
    }

    @Test
    @Tag("H-9")
    void a_subscription_whose_stream_the_client_closed_gets_no_answer_and_no_more_updates() throws Exception {
        Stream stream = listen(11, "{\"resourceSubscriptions\": [\"test://watched\"]}");
        stream.next();

        stream.session.cancelRequests();

        assertThat(stream.end()).isEmpty();
        server.notifyResourceUpdated("test://watched");
        assertThat(stream.messages).isEmpty();
    }

    @Test
    @Tag("S-1")
    void a_subscription_ends_when_the_credential_that_opened_it_expires() throws Exception {
        Stream stream = listen(server, caller("alice", Set.of(), Instant.now().minusSeconds(1)), 12,
                "{\"resourceSubscriptions\": [\"test://watched\"]}");

        assertThat(stream.next().path("method").asString()).isEqualTo("notifications/subscriptions/acknowledged");
        assertThat(onWire(stream.end().orElseThrow()).path("result").path("resultType").asString()).isEqualTo("complete");
    }

    @Test
    @Tag("S-1")
    @Tag("attack")
    void subscribing_to_resources_the_caller_may_not_read_is_denied_naming_every_scope_they_need() {
        JsonRpcMessage.Request request = new JsonRpcMessage.Request(IntNode.valueOf(13), "subscriptions/listen",
                Wire.params("""
                        {"notifications": {"resourceSubscriptions":
                          ["test://watched", "test://secret", "test://vault/keys"]}}"""));

        Optional<Denial> denial = server.authorize(request, caller("bob", Set.of("mcp:read:secret"), Instant.MAX));

        assertThat(denial).get().extracting(Denial::requiredScopes).isEqualTo(Set.of("mcp:read:vault"));
        assertThat(server.authorize(request, caller("carol", Set.of(), Instant.MAX))).get()
                .extracting(Denial::requiredScopes).isEqualTo(Set.of("mcp:read:secret", "mcp:read:vault"));
        assertThat(server.authorize(request, caller("dave", Set.of("mcp:read:secret", "mcp:read:vault"), Instant.MAX)))
                .isEmpty();
    }

    @Test
    @Tag("S-1")
    @Tag("attack")
    void the_engine_refuses_an_unreadable_subscription_even_when_the_transport_did_not_authorize() {
        JsonRpcMessage.Request request = new JsonRpcMessage.Request(IntNode.valueOf(14), "subscriptions/listen",
                Wire.params("{\"notifications\": {\"resourceSubscriptions\": [\"test://secret\"]}}"));
        List<JsonRpcMessage> sent = new java.util.ArrayList<>();

        InsufficientScopeException refused = catchThrowableOfType(InsufficientScopeException.class,
                () -> server.handle(request, McpSession.modern(json("{}"), null, null),
                        caller("eve", Set.of(), Instant.MAX), sent::add));

        assertThat(refused.requiredScopes()).containsExactly("mcp:read:secret");
        assertThat(sent).isEmpty();
    }

    @ParameterizedTest
    @Tag("S-1")
    @ValueSource(strings = {"{}", "{\"notifications\": true}", "{\"notifications\": {\"toolsListChanged\": \"yes\"}}",
            "{\"notifications\": {\"resourceSubscriptions\": \"test://watched\"}}",
            "{\"notifications\": {\"resourceSubscriptions\": [5]}}"})
    void a_malformed_filter_is_invalid_params(String params) {
        assertThat(modernError(params).code()).isEqualTo(JsonRpcErrorCodes.INVALID_PARAMS);
    }

    @Test
    @Tag("attack")
    void more_uris_than_a_session_may_subscribe_to_or_an_overlong_uri_is_invalid_params() {
        String many = IntStream.rangeClosed(0, McpSession.MAX_SUBSCRIPTIONS)
                .mapToObj(i -> "\"test://r/" + i + "\"").collect(Collectors.joining(","));
        String longUri = "test://" + "x".repeat(McpServer.MAX_URI);

        assertThat(modernError("{\"notifications\": {\"resourceSubscriptions\": [%s]}}".formatted(many)).code())
                .isEqualTo(JsonRpcErrorCodes.INVALID_PARAMS);
        assertThat(modernError("{\"notifications\": {\"resourceSubscriptions\": [\"%s\"]}}".formatted(longUri)).code())
                .isEqualTo(JsonRpcErrorCodes.INVALID_PARAMS);
    }

    @Test
    @Tag("attack")
    void one_principal_holding_its_limit_of_streams_has_its_oldest_ended_gracefully() throws Exception {
        McpServer limited = builder().listenLimits(10, 2).build();
        Caller mallory = caller("mallory", Set.of(), Instant.MAX);
        Stream first = listen(limited, mallory, 1, "{}");
        first.next();
        Stream second = listen(limited, mallory, 2, "{}");
        second.next();

        Stream third = listen(limited, mallory, 3, "{}");
        third.next();

        assertThat(onWire(first.end().orElseThrow()).path("result").path("resultType").asString()).isEqualTo("complete");
        assertThat(second.answer).isNotDone();
        limited.endSubscriptions();
        second.end();
        third.end();
    }

    @Test
    @Tag("attack")
    void past_the_servers_limit_a_new_stream_is_refused_and_no_other_principals_stream_is_ended() throws Exception {
        McpServer limited = builder().listenLimits(1, 1).build();
        Stream alices = listen(limited, caller("alice", Set.of(), Instant.MAX), 1, "{}");
        alices.next();

        Stream bobs = listen(limited, caller("bob", Set.of(), Instant.MAX), 2, "{}");

        JsonNode refusal = onWire(bobs.end().orElseThrow());
        assertThat(refusal.path("error").path("code").asInt()).isEqualTo(JsonRpcErrorCodes.INTERNAL_ERROR);
        assertThat(refusal.path("error").path("message").asString()).contains("try again later");
        assertThat(alices.answer).isNotDone();
        limited.endSubscriptions();
        alices.end();
    }

    @Test
    @Tag("S-5")
    void a_legacy_session_gets_method_not_found() {
        JsonRpcError error = new Wire(server).error("subscriptions/listen", "{\"notifications\": {}}");

        assertThat(error.code()).isEqualTo(JsonRpcErrorCodes.METHOD_NOT_FOUND);
    }

    @Test
    @Tag("S-5")
    @Tag("D-2")
    void a_server_without_resources_serves_no_listen_and_declares_no_subscription() {
        McpServer toolsOnly = McpServer.builder("t", "1")
                .tool(Tool.builder("hello").handler((args, ctx) -> ToolResult.text("hi"))).build();
        JsonRpcMessage.Request request = new JsonRpcMessage.Request(IntNode.valueOf(1), "subscriptions/listen",
                Wire.params("{\"notifications\": {\"toolsListChanged\": true}}"));

        JsonRpcMessage answer = toolsOnly.handle(request, McpSession.modern(json("{}"), null, null),
                Caller.anonymous(), MessageSink.NONE).orElseThrow();

        assertThat(onWire(answer).path("error").path("code").asInt()).isEqualTo(JsonRpcErrorCodes.METHOD_NOT_FOUND);
        assertThat(toolsOnly.modernCapabilities()).isEqualTo(json("{\"logging\": {}, \"tools\": {\"listChanged\": false}}"));
    }

    @Test
    @Tag("D-2")
    void modern_clients_are_told_of_resource_subscriptions_whatever_the_legacy_session_mode() {
        assertThat(server.capabilities().path("resources")).isEqualTo(json("{\"subscribe\": false, \"listChanged\": false}"));
        assertThat(server.modernCapabilities().path("resources")).isEqualTo(json("{\"subscribe\": true, \"listChanged\": false}"));
    }

    @Test
    void a_request_id_that_is_a_string_is_the_subscription_id_as_it_was_sent() throws Exception {
        Stream stream = new Stream();
        JsonRpcMessage.Request request = new JsonRpcMessage.Request(StringNode.valueOf("listen-1"),
                "subscriptions/listen", Wire.params("{\"notifications\": {}}"));
        stream.answer = CompletableFuture.supplyAsync(() -> server.handle(request, stream.session, Caller.anonymous(),
                message -> stream.messages.add(onWire(message))), Executors.newVirtualThreadPerTaskExecutor());

        assertThat(stream.next().path("params").path("_meta").path("io.modelcontextprotocol/subscriptionId").asString())
                .isEqualTo("listen-1");
        server.endSubscriptions();
        stream.end();
    }

    private JsonRpcError modernError(String params) {
        JsonRpcMessage.Request request = new JsonRpcMessage.Request(IntNode.valueOf(99), "subscriptions/listen",
                Wire.params(params));
        JsonRpcMessage answer = server.handle(request, McpSession.modern(json("{}"), null, null), Caller.anonymous(),
                message -> true).orElseThrow();
        assertThat(answer).isInstanceOf(JsonRpcMessage.ErrorResponse.class);
        return ((JsonRpcMessage.ErrorResponse) answer).error();
    }
}
