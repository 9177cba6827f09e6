package io.gatehouse.mcp.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.mcp.content.Content;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/** What the tool API itself turns into JSON follows the wire's rules: null fields are left out. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ToolDeclarationTest {

    record Partial(String name, String nickname) {
    }

    @Test
    void structured_content_leaves_out_null_fields() {
        ToolResult result = ToolResult.structured(new Partial("alice", null));

        assertThat(result.structuredContent().has("nickname")).isFalse();
        assertThat(result.content()).hasSize(1);
        assertThat(((Content.Text) result.content().getFirst()).text())
                .isEqualTo("{\"name\":\"alice\"}");
    }

    @Test
    void annotations_leave_out_the_hints_that_are_not_set() {
        Tool tool = Tool.builder("t").annotations(new ToolAnnotations("T", true, null, null, null))
                .handler((args, ctx) -> ToolResult.text("x"));

        assertThat(List.of(tool.descriptor().path("annotations").propertyNames().toArray()))
                .containsExactly("title", "readOnlyHint");
    }

    @Test
    void the_schemas_are_copies_a_caller_cannot_change() {
        Tool tool = Tool.builder("t").handler((args, ctx) -> ToolResult.text("x"));

        tool.inputSchema().put("type", "string");

        assertThat(tool.inputSchema().path("type").stringValue()).isEqualTo("object");
        assertThat(tool.descriptor().path("inputSchema").path("type").stringValue()).isEqualTo("object");
    }

    @Test
    void call_runs_the_handler_on_raw_arguments_for_a_unit_test() throws Exception {
        record Args(String text) {
        }
        Tool tool = Tool.builder("echo").handler(Args.class, (args, ctx) -> ToolResult.text(args.text()));

        ToolResult result = tool.call(JsonNodeFactory.instance.objectNode().put("text", "hi"), null);

        assertThat(result).isEqualTo(ToolResult.text("hi"));
    }
}
