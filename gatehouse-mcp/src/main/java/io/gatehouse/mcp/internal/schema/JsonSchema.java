package io.gatehouse.mcp.internal.schema;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A JSON Schema compiled once at registration and used to validate tool arguments and results. The dialect
 * is the one the schema declares in {@code $schema}, JSON Schema 2020-12 when it declares none (MCP
 * 2025-11-25); a dialect the validator does not know is refused at registration, not at call time.
 */
public final class JsonSchema {

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private final ObjectNode source;
    private final Schema compiled;

    private JsonSchema(ObjectNode source, Schema compiled) {
        this.source = source;
        this.compiled = compiled;
    }

    public static JsonSchema compile(ObjectNode schema) {
        JsonNode dialect = schema.get("$schema");
        if (dialect != null && (!dialect.isString() || SpecificationVersion.fromDialectId(dialect.stringValue()).isEmpty())) {
            throw new IllegalArgumentException("unsupported JSON Schema dialect: " + dialect);
        }
        if (!"object".equals(schema.path("type").stringValue(null))) {
            throw new IllegalArgumentException("a tool schema must have \"type\": \"object\"");
        }
        try {
            Schema compiled = REGISTRY.getSchema(schema);
            compiled.initializeValidators();
            return new JsonSchema(schema.deepCopy(), compiled);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid JSON Schema: " + e.getMessage(), e);
        }
    }

    /** The schema as registered, for listing. */
    public ObjectNode source() {
        return source;
    }

    /** The problems found, each a readable sentence; empty when {@code instance} conforms. */
    public List<String> validate(JsonNode instance) {
        List<Error> errors = compiled.validate(instance);
        return errors.stream().map(Error::toString).toList();
    }
}
