package io.gatehouse.mcp.tools;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON mapper of the tool API: what tools declare (schemas, annotations) and return ({@code structuredContent})
 * is turned into JSON here, with the engine's rule that {@code null} fields are left out (kept apart from the engine's
 * mapper so the API does not depend on the engine). It parses only text the developer wrote (schemas, defaults);
 * a client's arguments reach it as a tree the engine already parsed within its bounds.
 */
final class ToolJson {

    static final JsonMapper MAPPER = JsonMapper.builder()
            .changeDefaultPropertyInclusion(v -> v.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();

    private ToolJson() {
    }
}
