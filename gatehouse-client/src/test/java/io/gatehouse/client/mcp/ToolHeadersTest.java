package io.gatehouse.client.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.client.mcp.FakeServer.Answer;
import io.gatehouse.client.oauth.Http;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** Custom headers from tool parameters and the value encoding (MCP 2026-07-28, streamable-http.mdx; H-13, H-14). */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("H-14")
class ToolHeadersTest {

    static final String TOOLS = """
            {"resultType":"complete","tools":[
              {"name":"query","inputSchema":{"type":"object","properties":{
                 "region":{"type":"string","x-mcp-header":"Region"},
                 "priority":{"type":"integer","x-mcp-header":"Priority"},
                 "verbose":{"type":"boolean","x-mcp-header":"Verbose"},
                 "where":{"type":"object","properties":{"zone":{"type":"string","x-mcp-header":"Zone"}}},
                 "text":{"type":"string"}}}},
              {"name":"scored","inputSchema":{"type":"object","properties":{"score":{"type":"number","x-mcp-header":"Score"}}}}]}""";

    static JsonNode schema(String json) {
        return Http.JSON.readTree(json);
    }

    @Test
    void annotated_arguments_are_mirrored_encoded_and_null_ones_left_out_while_an_invalid_tool_is_neither_listed_nor_called() throws Exception {
        try (FakeServer server = new FakeServer(request -> switch (request.method()) {
            case "server/discover" -> Answer.result(request, McpClientEraTest.DISCOVERED);
            case "tools/list" -> Answer.result(request, TOOLS);
            default -> Answer.result(request, "{\"resultType\":\"complete\",\"content\":[]}");
        }); McpClient client = McpClientEraTest.client(server, Optional.empty())) {
            JsonNode listed = client.request("tools/list", Http.JSON.createObjectNode());
            client.request("tools/call", McpClientEraTest.call("query",
                    "{\"region\":\" us-west1\",\"priority\":42,\"verbose\":null,\"where\":{\"zone\":\"a\"},\"text\":\"x\"}"));

            assertThat(listed.path("tools")).extracting(t -> t.path("name").asString()).containsExactly("query");
            assertThat(server.last("tools/call").headers()).containsEntry("mcp-param-region", "=?base64?IHVzLXdlc3Qx?=")
                    .containsEntry("mcp-param-priority", "42").containsEntry("mcp-param-zone", "a")
                    .doesNotContainKeys("mcp-param-verbose", "mcp-param-text");
            assertThatThrownBy(() -> client.request("tools/call", McpClientEraTest.call("scored", "{\"score\":1.5}")))
                    .isInstanceOf(McpClient.McpException.class).hasMessageContaining("not calling tool scored");
            assertThat(server.methods()).containsExactly("server/discover", "tools/list", "tools/call");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"x-mcp-header\":\"\"}}}",
            "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"x-mcp-header\":\"My Region\"}}}",
            "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"x-mcp-header\":\"Région\"}}}",
            "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"x-mcp-header\":\"Region:1\"}}}",
            "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"array\",\"x-mcp-header\":\"A\"}}}",
            "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"number\",\"x-mcp-header\":\"A\"}}}",
            "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"x-mcp-header\":\"F\"},\"b\":{\"type\":\"string\",\"x-mcp-header\":\"f\"}}}",
            "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"array\",\"items\":{\"type\":\"string\",\"x-mcp-header\":\"A\"}}}}",
            "{\"type\":\"object\",\"oneOf\":[{\"properties\":{\"a\":{\"type\":\"string\",\"x-mcp-header\":\"A\"}}}]}",
            "{\"type\":\"string\",\"x-mcp-header\":\"Root\"}"})
    void a_schema_breaking_an_annotation_rule_is_refused(String inputSchema) {
        assertThatThrownBy(() -> ToolHeaders.parse(schema(inputSchema))).isInstanceOf(ToolHeaders.Invalid.class);
    }

    @Test
    @Tag("H-13")
    void values_are_plain_only_when_they_are_visible_ascii_without_outer_spaces_or_the_sentinel_shape() {
        assertThat(HeaderValue.encode("us west 1")).isEqualTo("us west 1");
        assertThat(HeaderValue.encode("")).isEqualTo("");
        assertThat(HeaderValue.encode("Hello, 世界")).isEqualTo("=?base64?SGVsbG8sIOS4lueVjA==?=");
        assertThat(HeaderValue.encode(" padded ")).isEqualTo("=?base64?IHBhZGRlZCA=?=");
        assertThat(HeaderValue.encode("line1\nline2")).isEqualTo("=?base64?bGluZTEKbGluZTI=?=");
        assertThat(HeaderValue.encode("\tindented")).startsWith("=?base64?");
        assertThat(HeaderValue.encode("=?base64?literal?=")).isEqualTo("=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=");
    }
}
