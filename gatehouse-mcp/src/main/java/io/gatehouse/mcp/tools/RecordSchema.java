package io.gatehouse.mcp.tools;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Derives a JSON Schema (2020-12) from a Java record: one property per component, named as Jackson names it,
 * typed from the component's type, described by {@link Param}.
 */
final class RecordSchema {

    private RecordSchema() {
    }

    static ObjectNode of(Class<?> recordType) {
        if (!recordType.isRecord()) {
            throw new IllegalArgumentException(recordType.getName() + " is not a record");
        }
        ObjectNode schema = ToolJson.MAPPER.createObjectNode();
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = ToolJson.MAPPER.createArrayNode();
        for (RecordComponent component : recordType.getRecordComponents()) {
            String name = propertyName(component);
            Param param = component.getAnnotation(Param.class);
            boolean optional = component.getType() == Optional.class;
            Type type = optional ? typeArgument(component.getGenericType(), 0) : component.getGenericType();
            ObjectNode property = typeSchema(type);
            if (param != null) {
                describe(property, param);
            }
            properties.set(name, property);
            boolean hasDefault = param != null && !param.defaultValue().isEmpty();
            if (!optional && !hasDefault && (param == null || param.required())) {
                required.add(name);
            }
        }
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        return schema;
    }

    private static String propertyName(RecordComponent component) {
        JsonProperty renamed = component.getAccessor().getAnnotation(JsonProperty.class);
        return renamed != null && !renamed.value().isEmpty() ? renamed.value() : component.getName();
    }

    private static void describe(ObjectNode property, Param param) {
        if (!param.title().isEmpty()) {
            property.put("title", param.title());
        }
        if (!param.description().isEmpty()) {
            property.put("description", param.description());
        }
        if (!Double.isNaN(param.minimum())) {
            putNumber(property, "minimum", param.minimum());
        }
        if (!Double.isNaN(param.maximum())) {
            putNumber(property, "maximum", param.maximum());
        }
        if (!param.defaultValue().isEmpty()) {
            JsonNode value = ToolJson.MAPPER.readTree(param.defaultValue());
            property.set("default", value);
        }
    }

    private static void putNumber(ObjectNode node, String name, double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            node.put(name, (long) value);
        } else {
            node.put(name, value);
        }
    }

    private static ObjectNode typeSchema(Type type) {
        ObjectNode node = ToolJson.MAPPER.createObjectNode();
        Class<?> raw = rawClass(type);
        if (raw == String.class || raw == Character.class || raw == char.class) {
            node.put("type", "string");
        } else if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class
                || raw == short.class || raw == Short.class || raw == byte.class || raw == Byte.class
                || raw == BigInteger.class) {
            node.put("type", "integer");
        } else if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class
                || raw == BigDecimal.class) {
            node.put("type", "number");
        } else if (raw == boolean.class || raw == Boolean.class) {
            node.put("type", "boolean");
        } else if (raw.isEnum()) {
            node.put("type", "string");
            ArrayNode values = node.putArray("enum");
            for (Object constant : raw.getEnumConstants()) {
                values.add(ToolJson.MAPPER.valueToTree(constant));
            }
        } else if (raw.isArray()) {
            node.put("type", "array");
            node.set("items", typeSchema(raw.getComponentType()));
        } else if (Collection.class.isAssignableFrom(raw)) {
            node.put("type", "array");
            node.set("items", typeSchema(typeArgument(type, 0)));
        } else if (Map.class.isAssignableFrom(raw)) {
            node.put("type", "object");
            node.set("additionalProperties", typeSchema(typeArgument(type, 1)));
        } else if (raw.isRecord()) {
            return of(raw);
        } else if (!JsonNode.class.isAssignableFrom(raw) && raw != Object.class) {
            throw new IllegalArgumentException("cannot derive a JSON Schema for " + type.getTypeName()
                    + "; declare the input schema explicitly");
        }
        return node;
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    private static Type typeArgument(Type type, int index) {
        if (type instanceof ParameterizedType p && p.getActualTypeArguments().length > index) {
            return p.getActualTypeArguments()[index];
        }
        return Object.class;
    }
}
