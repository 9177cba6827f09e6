package io.gatehouse.client.mcp;

import io.gatehouse.client.oauth.Http;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How this client answers a server's input requests (MCP 2026-07-28, basic/patterns/mrtr.mdx): the capabilities it
 * declares on every request, and the answer to one {@code elicitation/create}, {@code roots/list} or
 * {@code sampling/createMessage} of an {@code InputRequiredResult}. An answer the client will not give is refused
 * by throwing {@link McpClient.McpException}, which ends the request with that message.
 */
public interface InputResponder {

    /** The {@code ClientCapabilities} object sent in every request's {@code _meta}. */
    ObjectNode capabilities();

    /** The result for one input request ({@code ElicitResult}, {@code ListRootsResult} or {@code CreateMessageResult}). */
    JsonNode answer(String method, JsonNode params);

    /** Declares nothing; declines any elicitation (a server must not ask) and refuses everything else. */
    static InputResponder none() {
        return new InputResponder() {
            @Override
            public ObjectNode capabilities() {
                return Http.JSON.createObjectNode();
            }

            @Override
            public JsonNode answer(String method, JsonNode params) {
                if (method.equals("elicitation/create")) {
                    return Http.JSON.createObjectNode().put("action", "decline");
                }
                throw refused(method);
            }
        };
    }

    /** The error that ends a request whose server asked for something this client does not offer. */
    static McpClient.McpException refused(String method) {
        String what = switch (method) {
            case "sampling/createMessage" -> "an LLM completion (sampling), which this client does not offer";
            case "roots/list" -> "the client's roots, which this client does not share";
            case "elicitation/create" -> "user input (elicitation), which this client cannot ask for here";
            default -> "\"" + Http.excerpt(method, 60) + "\", which this client does not know";
        };
        return new McpClient.McpException(-32603, "the server asked for " + what);
    }
}
