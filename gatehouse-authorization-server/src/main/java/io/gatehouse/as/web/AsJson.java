package io.gatehouse.as.web;

import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** Writes JSON response bodies compactly and without the {@code \/} escaping json-smart adds. */
public final class AsJson {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private AsJson() {
    }

    public static String write(Map<String, ?> document) {
        return MAPPER.writeValueAsString(document);
    }
}
