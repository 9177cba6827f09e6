package io.gatehouse.mcp.internal.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.mcp.internal.json.Json;
import java.nio.charset.StandardCharsets;
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

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class JsonRpcCodecTest {

    private static JsonRpcMessage parse(String body) {
        return JsonRpcCodec.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(String text) {
        return Json.MAPPER.readTree(text);
    }

    private static JsonNode written(JsonRpcMessage message) {
        return json(new String(JsonRpcCodec.write(message), StandardCharsets.UTF_8));
    }

    private static void assertRejected(String body, int code) {
        assertThatThrownBy(() -> parse(body))
                .isInstanceOfSatisfying(JsonRpcException.class, e -> assertThat(e.error().code()).isEqualTo(code));
    }

    // --- parse errors (-32700)

    @Test
    void malformed_json_is_a_parse_error() {
        assertRejected("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": ", JsonRpcErrorCodes.PARSE_ERROR);
    }

    @Test
    @Tag("T-05")
    void two_concatenated_objects_are_a_parse_error_not_a_smuggled_batch() {
        assertRejected("""
                {"jsonrpc": "2.0", "id": 1, "method": "ping"}{"jsonrpc": "2.0", "id": 2, "method": "ping"}
                """, JsonRpcErrorCodes.PARSE_ERROR);
    }

    @Test
    void trailing_garbage_after_the_object_is_a_parse_error() {
        assertRejected("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"ping\"} }", JsonRpcErrorCodes.PARSE_ERROR);
    }

    @Test
    void empty_body_is_a_parse_error() {
        assertThatThrownBy(() -> JsonRpcCodec.parse(new byte[0]))
                .isInstanceOfSatisfying(JsonRpcException.class,
                        e -> assertThat(e.error().code()).isEqualTo(JsonRpcErrorCodes.PARSE_ERROR));
    }

    @Test
    void whitespace_only_body_is_a_parse_error() {
        assertRejected("  \n\t ", JsonRpcErrorCodes.PARSE_ERROR);
    }

    @Test
    void body_that_is_not_utf_8_is_a_parse_error() {
        byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};

        assertThatThrownBy(() -> JsonRpcCodec.parse(body))
                .isInstanceOfSatisfying(JsonRpcException.class,
                        e -> assertThat(e.error().code()).isEqualTo(JsonRpcErrorCodes.PARSE_ERROR));
    }

    // --- invalid requests (-32600)

    @Test
    @Tag("T-05")
    void batch_array_is_an_invalid_request() {
        String batch = """
                [{"jsonrpc": "2.0", "id": 1, "method": "ping"},
                 {"jsonrpc": "2.0", "id": 2, "method": "ping"}]
                """;
        assertThatThrownBy(() -> parse(batch))
                .isInstanceOfSatisfying(JsonRpcException.class, e -> {
                    assertThat(e.error().code()).isEqualTo(JsonRpcErrorCodes.INVALID_REQUEST);
                    assertThat(e.error().message()).containsIgnoringCase("batch");
                });
    }

    @Test
    @Tag("T-05")
    void empty_batch_array_is_an_invalid_request() {
        assertThatThrownBy(() -> parse("[]"))
                .isInstanceOfSatisfying(JsonRpcException.class, e -> {
                    assertThat(e.error().code()).isEqualTo(JsonRpcErrorCodes.INVALID_REQUEST);
                    assertThat(e.error().message()).containsIgnoringCase("batch");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "\"ping\"", "true", "null"})
    void json_that_is_not_an_object_is_an_invalid_request(String body) {
        assertRejected(body, JsonRpcErrorCodes.INVALID_REQUEST);
    }

    @Test
    void missing_jsonrpc_member_is_an_invalid_request() {
        assertRejected("""
                {"id": 1, "method": "ping"}
                """, JsonRpcErrorCodes.INVALID_REQUEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"1.0\"", "\"2\"", "2.0", "null"})
    void jsonrpc_member_other_than_the_string_2_0_is_an_invalid_request(String version) {
        assertRejected("""
                {"jsonrpc": %s, "id": 1, "method": "ping"}
                """.formatted(version), JsonRpcErrorCodes.INVALID_REQUEST);
    }

    @Test
    void null_id_is_an_invalid_request() {
        assertRejected("""
                {"jsonrpc": "2.0", "id": null, "method": "ping"}
                """, JsonRpcErrorCodes.INVALID_REQUEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"id\": null, ", ""})
    void an_error_response_whose_request_id_is_unknown_parses_with_a_null_id(String id) {
        JsonRpcMessage message = parse("""
                {"jsonrpc": "2.0", %s"error": {"code": -32700, "message": "Parse error"}}
                """.formatted(id));
        assertThat(message).isInstanceOfSatisfying(JsonRpcMessage.ErrorResponse.class, e -> {
            assertThat(e.id().isNull()).isTrue();
            assertThat(e.error().code()).isEqualTo(-32700);
        });
    }

    @Test
    void a_response_with_both_result_and_error_is_an_invalid_request() {
        assertRejected("""
                {"jsonrpc": "2.0", "id": 1, "result": {}, "error": {"code": 1, "message": "x"}}
                """, JsonRpcErrorCodes.INVALID_REQUEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "1.5", "{\"a\": 1}", "[1]"})
    void id_that_is_neither_string_nor_integer_is_an_invalid_request(String id) {
        assertRejected("""
                {"jsonrpc": "2.0", "id": %s, "method": "ping"}
                """.formatted(id), JsonRpcErrorCodes.INVALID_REQUEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1, 2]", "\"a\"", "3", "true"})
    void params_that_are_not_an_object_are_an_invalid_request(String params) {
        assertRejected("""
                {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": %s}
                """.formatted(params), JsonRpcErrorCodes.INVALID_REQUEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\"", "7", "null"})
    void method_that_is_not_a_non_empty_string_is_an_invalid_request(String method) {
        assertRejected("""
                {"jsonrpc": "2.0", "id": 1, "method": %s}
                """.formatted(method), JsonRpcErrorCodes.INVALID_REQUEST);
    }

    @Test
    void object_with_neither_method_nor_result_nor_error_is_an_invalid_request() {
        assertRejected("""
                {"jsonrpc": "2.0", "id": 1}
                """, JsonRpcErrorCodes.INVALID_REQUEST);
    }

    @Test
    void nesting_deeper_than_the_limit_is_an_invalid_request_not_a_crash() {
        int depth = Json.MAX_NESTING_DEPTH + 10;
        String deep = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":" + deep + "}";

        assertThatThrownBy(() -> parse(body))
                .isInstanceOfSatisfying(JsonRpcException.class, e -> {
                    assertThat(e.error().code()).isEqualTo(JsonRpcErrorCodes.INVALID_REQUEST);
                    assertThat(e.error().message()).contains(String.valueOf(Json.MAX_NESTING_DEPTH));
                });
    }

    @Test
    void hostile_nesting_of_arrays_does_not_exhaust_the_stack() {
        String body = "[".repeat(100_000) + "]".repeat(100_000);

        assertRejected(body, JsonRpcErrorCodes.INVALID_REQUEST);
    }

    @Test
    void number_longer_than_the_limit_is_an_invalid_request_not_a_crash() {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":" + "9".repeat(500) + ",\"method\":\"ping\"}";

        assertRejected(body, JsonRpcErrorCodes.INVALID_REQUEST);
    }

    @Test
    void nesting_well_within_the_limit_is_accepted() {
        int depth = Json.MAX_NESTING_DEPTH / 2;
        String deep = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":" + deep + "}";

        assertThat(parse(body)).isInstanceOf(JsonRpcMessage.Request.class);
    }

    // --- classification

    @Test
    void request_with_string_id_keeps_the_id_method_and_params() {
        JsonRpcMessage message = parse("""
                {"jsonrpc": "2.0", "id": "req-1", "method": "tools/call", "params": {"name": "echo"}}
                """);

        assertThat(message).isInstanceOfSatisfying(JsonRpcMessage.Request.class, r -> {
            assertThat(r.id().isString()).isTrue();
            assertThat(r.id().stringValue()).isEqualTo("req-1");
            assertThat(r.method()).isEqualTo("tools/call");
            assertThat((JsonNode) r.params()).isEqualTo(json("{\"name\": \"echo\"}"));
        });
    }

    @Test
    void request_with_integer_id_keeps_the_id_as_an_integer() {
        JsonRpcMessage message = parse("""
                {"jsonrpc": "2.0", "id": 42, "method": "ping"}
                """);

        assertThat(message).isInstanceOfSatisfying(JsonRpcMessage.Request.class, r -> {
            assertThat(r.id().isIntegralNumber()).isTrue();
            assertThat(r.id().longValue()).isEqualTo(42L);
        });
    }

    @Test
    void request_without_params_gets_an_empty_params_object() {
        JsonRpcMessage message = parse("""
                {"jsonrpc": "2.0", "id": 1, "method": "ping"}
                """);

        assertThat(message).isInstanceOfSatisfying(JsonRpcMessage.Request.class,
                r -> assertThat((JsonNode) r.params()).isEqualTo(json("{}")));
    }

    @Test
    void request_with_null_params_gets_an_empty_params_object() {
        JsonRpcMessage message = parse("""
                {"jsonrpc": "2.0", "id": 1, "method": "ping", "params": null}
                """);

        assertThat(message).isInstanceOfSatisfying(JsonRpcMessage.Request.class,
                r -> assertThat((JsonNode) r.params()).isEqualTo(json("{}")));
    }

    @Test
    void message_without_id_is_a_notification() {
        JsonRpcMessage message = parse("""
                {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 3}}
                """);

        assertThat(message).isInstanceOfSatisfying(JsonRpcMessage.Notification.class, n -> {
            assertThat(n.method()).isEqualTo("notifications/cancelled");
            assertThat((JsonNode) n.params()).isEqualTo(json("{\"requestId\": 3}"));
        });
        assertThat(JsonRpcCodec.idOf(message)).isNull();
    }

    @Test
    void message_with_id_and_result_is_a_response() {
        JsonRpcMessage message = parse("""
                {"jsonrpc": "2.0", "id": "srv-1", "result": {"action": "accept"}}
                """);

        assertThat(message).isInstanceOfSatisfying(JsonRpcMessage.Response.class, r -> {
            assertThat(r.id().stringValue()).isEqualTo("srv-1");
            assertThat(r.result()).isEqualTo(json("{\"action\": \"accept\"}"));
        });
    }

    @Test
    void message_with_id_and_error_is_an_error_response() {
        JsonRpcMessage message = parse("""
                {"jsonrpc": "2.0", "id": 9, "error": {"code": -32601, "message": "Method not found", "data": {"x": 1}}}
                """);

        assertThat(message).isInstanceOfSatisfying(JsonRpcMessage.ErrorResponse.class, r -> {
            assertThat(r.id().intValue()).isEqualTo(9);
            assertThat(r.error().code()).isEqualTo(-32601);
            assertThat(r.error().message()).isEqualTo("Method not found");
            assertThat(r.error().data()).isEqualTo(json("{\"x\": 1}"));
        });
        assertThat(JsonRpcCodec.idOf(message)).isEqualTo(IntNode.valueOf(9));
    }

    @Test
    void response_with_boolean_id_is_an_invalid_request() {
        assertRejected("""
                {"jsonrpc": "2.0", "id": false, "result": {}}
                """, JsonRpcErrorCodes.INVALID_REQUEST);
    }

    // --- writing

    @Test
    void response_is_written_compactly_with_version_and_echoed_string_id() {
        byte[] bytes = JsonRpcCodec.write(new JsonRpcMessage.Response(StringNode.valueOf("abc"),
                json("{\"answer\": [1, 2, 3], \"ok\": true}")));
        String text = new String(bytes, StandardCharsets.UTF_8);

        assertThat(text).doesNotContainAnyWhitespaces();
        assertThat(json(text)).isEqualTo(json("""
                {"jsonrpc": "2.0", "id": "abc", "result": {"answer": [1, 2, 3], "ok": true}}
                """));
    }

    @Test
    void integer_id_is_echoed_as_an_integer_not_a_string() {
        JsonNode written = written(new JsonRpcMessage.Response(IntNode.valueOf(7), json("{}")));

        assertThat(written).isEqualTo(json("""
                {"jsonrpc": "2.0", "id": 7, "result": {}}
                """));
        assertThat(written.get("id").isIntegralNumber()).isTrue();
    }

    @Test
    void response_with_null_result_is_written_with_an_empty_result_object() {
        assertThat(written(new JsonRpcMessage.Response(IntNode.valueOf(1), null))).isEqualTo(json("""
                {"jsonrpc": "2.0", "id": 1, "result": {}}
                """));
    }

    @Test
    void error_response_with_null_id_writes_id_null() {
        JsonNode written = written(new JsonRpcMessage.ErrorResponse(null,
                new JsonRpcError(JsonRpcErrorCodes.PARSE_ERROR, "Parse error")));

        assertThat(written).isEqualTo(json("""
                {"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": "Parse error"}}
                """));
        assertThat(written.has("id")).isTrue();
    }

    @Test
    void error_response_writes_data_when_present() {
        JsonNode written = written(new JsonRpcMessage.ErrorResponse(StringNode.valueOf("r"),
                new JsonRpcError(-32002, "Resource not found", json("{\"uri\": \"test://x\"}"))));

        assertThat(written).isEqualTo(json("""
                {"jsonrpc": "2.0", "id": "r",
                 "error": {"code": -32002, "message": "Resource not found", "data": {"uri": "test://x"}}}
                """));
    }

    @Test
    void request_and_notification_are_written_with_method_and_params() {
        assertThat(written(new JsonRpcMessage.Request(StringNode.valueOf("srv-1"), "sampling/createMessage",
                (ObjectNode) json("{\"maxTokens\": 5}")))).isEqualTo(json("""
                {"jsonrpc": "2.0", "id": "srv-1", "method": "sampling/createMessage", "params": {"maxTokens": 5}}
                """));
        assertThat(written(new JsonRpcMessage.Notification("notifications/progress",
                (ObjectNode) json("{\"progress\": 1}")))).isEqualTo(json("""
                {"jsonrpc": "2.0", "method": "notifications/progress", "params": {"progress": 1}}
                """));
    }

    @Test
    void written_message_parses_back_to_an_equal_message() {
        JsonRpcMessage original = parse("""
                {"jsonrpc": "2.0", "id": "x-1", "method": "tools/call", "params": {"name": "echo", "arguments": {"text": "hi"}}}
                """);

        assertThat(JsonRpcCodec.parse(JsonRpcCodec.write(original))).isEqualTo(original);
    }
}
