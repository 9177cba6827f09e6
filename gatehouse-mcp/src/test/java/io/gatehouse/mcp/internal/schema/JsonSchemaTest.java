package io.gatehouse.mcp.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import io.gatehouse.mcp.internal.json.Json;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class JsonSchemaTest {

    private static ObjectNode schema(String text) {
        return (ObjectNode) Json.MAPPER.readTree(text);
    }

    private static JsonNode json(String text) {
        return Json.MAPPER.readTree(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"https://example.com/my-own-dialect\"", "\"draft-2020-12\"", "7"})
    void schema_declaring_an_unknown_dialect_is_refused(String dialect) {
        assertThatThrownBy(() -> JsonSchema.compile(schema("""
                {"$schema": %s, "type": "object"}
                """.formatted(dialect))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dialect");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\": \"array\"}", "{\"type\": \"string\"}", "{}", "{\"type\": [\"object\", \"null\"]}"})
    void schema_whose_type_is_not_object_is_refused(String text) {
        assertThatThrownBy(() -> JsonSchema.compile(schema(text)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("object");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://json-schema.org/draft/2020-12/schema", "http://json-schema.org/draft-07/schema#"})
    void schema_declaring_a_known_dialect_is_accepted(String dialect) {
        JsonSchema compiled = JsonSchema.compile(schema("""
                {"$schema": "%s", "type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}
                """.formatted(dialect)));

        assertThat(compiled.validate(json("{\"n\": 1}"))).isEmpty();
        assertThat(compiled.validate(json("{}"))).isNotEmpty();
    }

    @Test
    void schema_without_dialect_is_read_as_2020_12() {
        // prefixItems exists only since 2020-12; an older dialect would ignore it
        JsonSchema compiled = JsonSchema.compile(schema("""
                {"type": "object",
                 "properties": {"pair": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]}}}
                """));

        assertThat(compiled.validate(json("{\"pair\": [\"a\", 1]}"))).isEmpty();
        assertThat(compiled.validate(json("{\"pair\": [1, \"a\"]}"))).isNotEmpty();
    }

    @Test
    void validation_problems_are_readable_sentences_naming_the_property() {
        JsonSchema compiled = JsonSchema.compile(schema("""
                {"type": "object", "properties": {"count": {"type": "integer", "maximum": 10}}}
                """));

        assertThat(compiled.validate(json("{\"count\": 11}"))).singleElement(STRING)
                .contains("count").contains("10");
    }

    @Test
    void source_is_a_copy_that_later_changes_to_the_input_do_not_affect() {
        ObjectNode input = schema("""
                {"type": "object", "properties": {"a": {"type": "string"}}}
                """);
        JsonSchema compiled = JsonSchema.compile(input);

        input.put("type", "array");

        assertThat(compiled.source()).isEqualTo(json("""
                {"type": "object", "properties": {"a": {"type": "string"}}}
                """));
    }
}
