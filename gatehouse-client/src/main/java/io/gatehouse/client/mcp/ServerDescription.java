package io.gatehouse.client.mcp;

import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * What the client learnt about the server when it connected: the revision in use, whether it is the modern
 * (stateless) one, and what {@code server/discover} or {@code initialize} said (capabilities, the server's name).
 */
public record ServerDescription(String protocolVersion, boolean modern, JsonNode capabilities, Optional<String> serverName) {

    static ServerDescription of(String protocolVersion, boolean modern, JsonNode result) {
        JsonNode info = result.path("_meta").path("io.modelcontextprotocol/serverInfo");
        if (!info.isObject()) {
            info = result.path("serverInfo");
        }
        String name = info.path("name").asString("");
        return new ServerDescription(protocolVersion, modern, result.path("capabilities"), name.isEmpty() ? Optional.empty() : Optional.of(name));
    }
}
