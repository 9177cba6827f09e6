package io.gatehouse.app.cli;

import io.gatehouse.client.oauth.Http;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Arguments for a tool call made without a person (the conformance adapter): each required property's default or an example of its type. */
final class ExampleArguments {

    private ExampleArguments() {
    }

    static ObjectNode forSchema(JsonNode inputSchema) {
        ObjectNode arguments = Http.JSON.createObjectNode();
        JsonNode required = inputSchema.path("required");
        for (Map.Entry<String, JsonNode> property : inputSchema.path("properties").properties()) {
            boolean isRequired = false;
            for (JsonNode name : required) {
                isRequired |= name.asString("").equals(property.getKey());
            }
            if (isRequired) {
                arguments.set(property.getKey(), example(property.getValue()));
            }
        }
        return arguments;
    }

    private static JsonNode example(JsonNode schema) {
        if (schema.has("default")) {
            return schema.get("default");
        }
        if (schema.path("enum").isArray() && !schema.path("enum").isEmpty()) {
            return schema.path("enum").get(0);
        }
        return switch (schema.path("type").asString("string")) {
            case "number", "integer" -> Http.JSON.getNodeFactory().numberNode(1);
            case "boolean" -> Http.JSON.getNodeFactory().booleanNode(true);
            case "object" -> forSchema(schema);
            case "array" -> Http.JSON.createArrayNode();
            default -> Http.JSON.getNodeFactory().stringNode("test");
        };
    }
}
