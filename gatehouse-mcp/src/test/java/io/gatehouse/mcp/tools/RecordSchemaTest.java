package io.gatehouse.mcp.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.internal.schema.JsonSchema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RecordSchemaTest {

    enum Colour { RED, GREEN }

    record Search(
            @Param(description = "what to look for", title = "Query") String query,
            @Param(minimum = 1, maximum = 10, defaultValue = "1") int limit,
            Optional<String> cursor,
            List<String> tags,
            Colour colour,
            @JsonProperty("max_results") long maxResults,
            @Param(required = false) Boolean verbose) {
    }

    record Point(double x, double y) {
    }

    record Shapes(Point origin, Map<String, Integer> counts, int[] sizes, JsonNode extra) {
    }

    record Unsupported(Instant when) {
    }

    private static JsonNode normalized(JsonNode node) {
        return Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(node));
    }

    private static JsonNode json(String text) {
        return Json.MAPPER.readTree(text);
    }

    @Test
    void record_schema_has_one_typed_property_per_component_and_requires_only_mandatory_ones() {
        assertThat(normalized(RecordSchema.of(Search.class))).isEqualTo(json("""
                {"type": "object",
                 "properties": {
                   "query": {"type": "string", "title": "Query", "description": "what to look for"},
                   "limit": {"type": "integer", "minimum": 1, "maximum": 10, "default": 1},
                   "cursor": {"type": "string"},
                   "tags": {"type": "array", "items": {"type": "string"}},
                   "colour": {"type": "string", "enum": ["RED", "GREEN"]},
                   "max_results": {"type": "integer"},
                   "verbose": {"type": "boolean"}},
                 "required": ["query", "tags", "colour", "max_results"]}
                """));
    }

    @Test
    void nested_records_maps_arrays_and_json_nodes_get_matching_schemas() {
        assertThat(normalized(RecordSchema.of(Shapes.class))).isEqualTo(json("""
                {"type": "object",
                 "properties": {
                   "origin": {"type": "object",
                              "properties": {"x": {"type": "number"}, "y": {"type": "number"}},
                              "required": ["x", "y"]},
                   "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
                   "sizes": {"type": "array", "items": {"type": "integer"}},
                   "extra": {}},
                 "required": ["origin", "counts", "sizes", "extra"]}
                """));
    }

    @Test
    void record_with_only_optional_components_has_no_required_member() {
        record Filters(Optional<String> name, @Param(defaultValue = "\"asc\"") String order) {
        }

        assertThat(normalized(RecordSchema.of(Filters.class))).isEqualTo(json("""
                {"type": "object",
                 "properties": {"name": {"type": "string"}, "order": {"type": "string", "default": "asc"}}}
                """));
    }

    @Test
    void derived_schema_compiles_and_enforces_the_bounds() {
        JsonSchema schema = JsonSchema.compile(RecordSchema.of(Search.class));

        assertThat(schema.validate(json("""
                {"query": "q", "tags": [], "colour": "RED", "max_results": 5, "limit": 10}
                """))).isEmpty();
        assertThat(schema.validate(json("""
                {"query": "q", "tags": [], "colour": "BLUE", "max_results": 5, "limit": 11}
                """))).hasSize(2);
    }

    @Test
    void component_type_without_a_json_schema_is_refused() {
        assertThatThrownBy(() -> RecordSchema.of(Unsupported.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Instant");
    }

    @Test
    void a_class_that_is_not_a_record_is_refused() {
        assertThatThrownBy(() -> RecordSchema.of(String.class)).isInstanceOf(IllegalArgumentException.class);
    }
}
