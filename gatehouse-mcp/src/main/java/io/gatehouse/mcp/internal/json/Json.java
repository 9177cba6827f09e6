package io.gatehouse.mcp.internal.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one JSON mapper Gatehouse uses: compact output, {@code null} fields left out, and bounded input
 * (nesting depth and string sizes) so that a hostile body cannot exhaust the stack or the heap.
 */
public final class Json {

    /** Deepest JSON nesting accepted in any request body. */
    public static final int MAX_NESTING_DEPTH = 64;

    public static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING_DEPTH)
                            .maxStringLength(16 * 1024 * 1024)
                            .maxNumberLength(100)
                            .build())
                    .build())
            .changeDefaultPropertyInclusion(v -> v.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();

    private Json() {
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }
}
