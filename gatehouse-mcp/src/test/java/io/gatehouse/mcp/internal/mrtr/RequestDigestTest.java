package io.gatehouse.mcp.internal.mrtr;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.mcp.internal.json.Json;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("M-5")
class RequestDigestTest {

    private static ObjectNode params(String json) {
        return (ObjectNode) Json.MAPPER.readTree(json);
    }

    @Test
    void the_digest_ignores_meta_input_responses_request_state_and_member_order() {
        assertThat(RequestDigest.of("tools/call", params("{\"name\": \"t\", \"arguments\": {\"a\": 1, \"b\": [1, {\"y\": 2, \"x\": 1}]}}")))
                .isEqualTo(RequestDigest.of("tools/call", params("""
                        {"_meta": {"progressToken": 1}, "arguments": {"b": [1, {"x": 1, "y": 2}], "a": 1}, "name": "t",
                         "inputResponses": {"k": {}}, "requestState": "s"}""")));
    }

    @Test
    void absent_null_and_empty_arguments_are_the_same_request() {
        String empty = RequestDigest.of("prompts/get", params("{\"name\": \"p\", \"arguments\": {}}"));

        assertThat(RequestDigest.of("prompts/get", params("{\"name\": \"p\"}"))).isEqualTo(empty);
        assertThat(RequestDigest.of("prompts/get", params("{\"name\": \"p\", \"arguments\": null}"))).isEqualTo(empty);
    }

    @Test
    void the_digest_differs_by_method_name_uri_and_arguments() {
        String base = RequestDigest.of("tools/call", params("{\"name\": \"t\", \"arguments\": {\"a\": 1}}"));

        assertThat(RequestDigest.of("prompts/get", params("{\"name\": \"t\", \"arguments\": {\"a\": 1}}"))).isNotEqualTo(base);
        assertThat(RequestDigest.of("tools/call", params("{\"name\": \"u\", \"arguments\": {\"a\": 1}}"))).isNotEqualTo(base);
        assertThat(RequestDigest.of("tools/call", params("{\"name\": \"t\", \"arguments\": {\"a\": 2}}"))).isNotEqualTo(base);
        assertThat(RequestDigest.of("tools/call", params("{\"name\": \"t\", \"arguments\": {}}"))).isNotEqualTo(base);
        assertThat(RequestDigest.of("resources/read", params("{\"uri\": \"a://1\"}")))
                .isNotEqualTo(RequestDigest.of("resources/read", params("{\"uri\": \"a://2\"}")));
    }
}
