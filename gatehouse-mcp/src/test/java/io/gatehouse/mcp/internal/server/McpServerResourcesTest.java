package io.gatehouse.mcp.internal.server;

import io.gatehouse.mcp.context.Caller;
import static io.gatehouse.mcp.internal.server.Wire.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.mcp.content.ResourceContents;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcError;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcErrorCodes;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcMessage;
import io.gatehouse.mcp.resources.Resource;
import io.gatehouse.mcp.resources.ResourceTemplate;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class McpServerResourcesTest {

    private final AtomicReference<Map<String, String>> variables = new AtomicReference<>();

    private McpServer server() {
        return McpServer.builder("t", "1")
                .resource(Resource.builder("test://static").name("static").mimeType("text/plain")
                        .reader((uri, vars, ctx) -> List.of(ResourceContents.text(uri, "text/plain", "static text"))))
                .resource(Resource.builder("test://blob")
                        .reader((uri, vars, ctx) -> List.of(ResourceContents.blob(uri, "application/octet-stream",
                                "hi".getBytes(StandardCharsets.US_ASCII)))))
                .resource(Resource.builder("test://broken").reader((uri, vars, ctx) -> {
                    throw new IllegalStateException("secret detail");
                }))
                .resourceTemplate(ResourceTemplate.builder("test://template/{id}/data").reader((uri, vars, ctx) -> {
                    variables.set(vars);
                    return List.of(ResourceContents.text(uri, "text/plain", "item " + vars.get("id")));
                }))
                .build();
    }

    private final McpServer server = server();
    private final Wire wire = new Wire(server);

    @Test
    void read_of_a_static_resource_returns_its_contents() {
        assertThat(wire.result("resources/read", "{\"uri\": \"test://static\"}")).isEqualTo(json("""
                {"contents": [{"uri": "test://static", "mimeType": "text/plain", "text": "static text"}]}
                """));
    }

    @Test
    void read_of_a_binary_resource_returns_base64_blob() {
        assertThat(wire.result("resources/read", "{\"uri\": \"test://blob\"}")).isEqualTo(json("""
                {"contents": [{"uri": "test://blob", "mimeType": "application/octet-stream", "blob": "aGk="}]}
                """));
    }

    @Test
    void read_of_an_unknown_uri_is_resource_not_found_with_the_uri_in_data() {
        JsonRpcError error = wire.error("resources/read", "{\"uri\": \"test://missing\"}");

        assertThat(error.code()).isEqualTo(JsonRpcErrorCodes.RESOURCE_NOT_FOUND).isEqualTo(-32002);
        assertThat(error.data()).isEqualTo(json("{\"uri\": \"test://missing\"}"));
    }

    @Test
    void read_through_a_template_passes_the_matched_variables() {
        assertThat(wire.result("resources/read", "{\"uri\": \"test://template/42/data\"}")).isEqualTo(json("""
                {"contents": [{"uri": "test://template/42/data", "mimeType": "text/plain", "text": "item 42"}]}
                """));
        assertThat(variables.get()).isEqualTo(Map.of("id", "42"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"test://template/4/2/data", "test://template//data", "test://template/42/data/x",
            "test://template/42/datum", "xtest://template/42/data"})
    void uri_that_does_not_match_the_template_is_resource_not_found(String uri) {
        JsonRpcError error = wire.error("resources/read", "{\"uri\": \"%s\"}".formatted(uri));

        assertThat(error.code()).isEqualTo(JsonRpcErrorCodes.RESOURCE_NOT_FOUND);
        assertThat(variables.get()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"uri\": 5}", "{\"uri\": null}"})
    void read_without_a_string_uri_is_invalid_params(String params) {
        assertThat(wire.error("resources/read", params).code()).isEqualTo(JsonRpcErrorCodes.INVALID_PARAMS);
    }

    @Test
    void reader_failure_is_internal_error_without_its_detail() {
        JsonRpcError error = wire.error("resources/read", "{\"uri\": \"test://broken\"}");

        assertThat(error.code()).isEqualTo(JsonRpcErrorCodes.INTERNAL_ERROR);
        assertThat(error.message()).doesNotContain("secret detail");
    }

    @Test
    void subscribe_to_an_unknown_uri_is_resource_not_found() {
        JsonRpcError error = wire.error("resources/subscribe", "{\"uri\": \"test://missing\"}");

        assertThat(error.code()).isEqualTo(JsonRpcErrorCodes.RESOURCE_NOT_FOUND);
        assertThat(error.data()).isEqualTo(json("{\"uri\": \"test://missing\"}"));
    }

    @Test
    void subscribed_session_is_told_when_the_resource_changes_and_unsubscribed_one_is_not() {
        McpSession session = server.sessions().create(Caller.anonymous(), Wire.LATEST);
        List<JsonRpcMessage> stream = new CopyOnWriteArrayList<>();
        assertThat(session.attachStandaloneStream(stream::add)).isTrue();
        Wire stateful = new Wire(server, session);

        assertThat(stateful.result("resources/subscribe", "{\"uri\": \"test://template/7/data\"}")).isEqualTo(json("{}"));
        server.notifyResourceUpdated("test://template/7/data");
        server.notifyResourceUpdated("test://static");

        assertThat(stream).hasSize(1);
        assertThat(Wire.onWire(stream.get(0))).isEqualTo(json("""
                {"jsonrpc": "2.0", "method": "notifications/resources/updated", "params": {"uri": "test://template/7/data"}}
                """));

        stateful.result("resources/unsubscribe", "{\"uri\": \"test://template/7/data\"}");
        server.notifyResourceUpdated("test://template/7/data");

        assertThat(stream).hasSize(1);
    }

    @Test
    void a_session_can_have_only_one_standalone_stream() {
        McpSession session = new Sessions(Duration.ofMinutes(5), 100, 10, Clock.systemUTC()).create(Caller.anonymous(), Wire.LATEST);
        MessageSink first = message -> true;

        assertThat(session.attachStandaloneStream(first)).isTrue();
        assertThat(session.attachStandaloneStream(message -> true)).isFalse();
        session.detachStandaloneStream(first);
        assertThat(session.attachStandaloneStream(message -> true)).isTrue();
    }
}
