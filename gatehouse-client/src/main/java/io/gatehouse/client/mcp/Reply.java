package io.gatehouse.client.mcp;

import io.gatehouse.client.oauth.Http;
import java.net.http.HttpResponse;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * One HTTP answer to a JSON-RPC request: its status and, when there is one, the JSON-RPC response for the
 * request's id, from a JSON body (whatever the status, so a 400 carrying an error is read) or from the events of
 * a server-sent event stream.
 */
record Reply(int status, Optional<JsonNode> message, String body) {

    static Reply read(HttpResponse<String> response, long id) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        String body = response.body() == null ? "" : response.body();
        if (type.startsWith("text/event-stream")) {
            return new Reply(response.statusCode(), fromEvents(body, id), body);
        }
        return new Reply(response.statusCode(), parse(body).filter(m -> m.has("result") || m.has("error")), body);
    }

    boolean ok() {
        return status / 100 == 2;
    }

    Optional<JsonNode> error() {
        return message.map(m -> m.get("error")).filter(JsonNode::isObject);
    }

    Optional<JsonNode> result() {
        return message.map(m -> m.get("result")).filter(JsonNode::isObject);
    }

    int errorCode() {
        return error().map(e -> e.path("code").asInt(0)).orElse(0);
    }

    McpClient.McpException exception() {
        return error().map(e -> new McpClient.McpException(e.path("code").asInt(), Http.excerpt(e.path("message").asString(""), 500)))
                .orElseGet(() -> ok() ? new McpClient.McpException(-32603, "the server's answer carries no JSON-RPC response to the request")
                        : new McpClient.McpException(status, "HTTP " + status + ": " + Http.excerpt(body, 300)));
    }

    private static Optional<JsonNode> fromEvents(String body, long id) {
        for (String block : body.replace("\r\n", "\n").split("\n\n")) {
            StringBuilder data = new StringBuilder();
            for (String line : block.split("\n")) {
                if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                }
            }
            if (!data.isEmpty()) {
                JsonNode message = parse(data.toString())
                        .orElseThrow(() -> new McpClient.McpException(-32700, "the event stream carries an event that is not JSON"));
                if (message.path("id").asLong(-1) == id && (message.has("result") || message.has("error"))) {
                    return Optional.of(message);
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<JsonNode> parse(String text) {
        try {
            JsonNode node = Http.JSON.readTree(text);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }
}
