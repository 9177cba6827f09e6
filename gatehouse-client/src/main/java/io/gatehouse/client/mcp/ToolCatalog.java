package io.gatehouse.client.mcp;

import io.gatehouse.client.terminal.TerminalText;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * The tools a server listed, as far as headers go: the {@code x-mcp-header} annotations of each valid tool, and the
 * tools refused for invalid annotations, which are removed from the {@code tools/list} result (with a warning) and
 * never called (MCP 2026-07-28, transports/streamable-http.mdx, "Schema Extension").
 */
final class ToolCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(ToolCatalog.class);

    private final Map<String, ToolHeaders> valid = new HashMap<>();
    private final Map<String, String> refused = new HashMap<>();
    private boolean listed;

    /** Takes in one page of {@code tools/list}, removing the tools whose annotations are invalid. */
    void accept(JsonNode result) {
        listed = true;
        if (!(result.get("tools") instanceof ArrayNode list)) {
            return;
        }
        for (Iterator<JsonNode> it = list.iterator(); it.hasNext(); ) {
            JsonNode tool = it.next();
            String name = tool.path("name").asString("");
            try {
                valid.put(name, ToolHeaders.parse(tool.path("inputSchema")));
                refused.remove(name);
            } catch (ToolHeaders.Invalid e) {
                it.remove();
                valid.remove(name);
                refused.put(name, e.getMessage());
                LOG.warn("Ignoring the server's tool {}: {}", TerminalText.neutralize(name), TerminalText.neutralize(e.getMessage()));
            }
        }
    }

    /**
     * The {@code Mcp-Param-*} headers for a call of {@code name} with {@code arguments}, listing the tools first if
     * they were not yet; a refused tool is not called.
     */
    Map<String, String> headers(String name, JsonNode arguments, Runnable lister) {
        if (!listed && !valid.containsKey(name)) {
            lister.run();
        }
        String reason = refused.get(name);
        if (reason != null) {
            throw new McpClient.McpException(-32602, "not calling tool " + name + ": its definition is invalid (" + reason + ")");
        }
        ToolHeaders headers = valid.get(name);
        return headers == null ? Map.of() : headers.headers(arguments);
    }

    /** Forgets what was listed (after a header mismatch the tool's schema may have changed). */
    void forget() {
        valid.clear();
        refused.clear();
        listed = false;
    }
}
