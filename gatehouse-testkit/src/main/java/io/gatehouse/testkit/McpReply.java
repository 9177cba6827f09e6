package io.gatehouse.testkit;

import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One HTTP answer from an MCP endpoint, read as a test wants it: status, headers, the JSON body, or, for an
 * SSE answer, the messages of its events in order.
 */
public record McpReply(int status, HttpHeaders headers, String body, List<JsonNode> events) {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** The JSON body, or for SSE the last event (the response comes last). */
    public JsonNode json() {
        if (!events.isEmpty()) {
            return events.get(events.size() - 1);
        }
        return MAPPER.readTree(body);
    }

    public JsonNode result() {
        return json().path("result");
    }

    public JsonNode error() {
        return json().path("error");
    }

    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    public boolean isSse() {
        return header("Content-Type").map(t -> t.startsWith("text/event-stream")).orElse(false);
    }

    static List<JsonNode> parseEvents(String body) {
        List<JsonNode> events = new java.util.ArrayList<>();
        StringBuilder data = new StringBuilder();
        for (String line : body.split("\n", -1)) {
            if (line.startsWith("data:")) {
                data.append(line.substring(5).strip());
            } else if (line.isEmpty() && !data.isEmpty()) {
                events.add(MAPPER.readTree(data.toString()));
                data.setLength(0);
            }
        }
        return events;
    }
}
