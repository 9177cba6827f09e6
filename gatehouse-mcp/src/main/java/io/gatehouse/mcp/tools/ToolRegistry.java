package io.gatehouse.mcp.tools;

import static io.gatehouse.mcp.jsonrpc.JsonRpcErrorCodes.INTERNAL_ERROR;

import io.gatehouse.mcp.content.Content;
import io.gatehouse.mcp.json.Json;
import io.gatehouse.mcp.jsonrpc.JsonRpcException;
import io.gatehouse.mcp.schema.JsonSchema;
import io.gatehouse.mcp.context.ClientRequestException;
import io.gatehouse.mcp.context.InsufficientScopeException;
import io.gatehouse.mcp.context.RequestContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The tools a server offers, in registration order, and the {@code tools/call} procedure: look the tool up
 * by its exact name, validate the arguments, run the handler, check the structured result.
 */
public final class ToolRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ToolRegistry.class);

    private final Map<String, Tool> tools = new LinkedHashMap<>();

    public ToolRegistry(Collection<Tool> tools) {
        for (Tool tool : tools) {
            if (this.tools.putIfAbsent(tool.name(), tool) != null) {
                throw new IllegalArgumentException("two tools are named " + tool.name());
            }
        }
    }

    public boolean isEmpty() {
        return tools.isEmpty();
    }

    public Collection<Tool> all() {
        return tools.values();
    }

    public Optional<Tool> find(String name) {
        return Optional.ofNullable(tools.get(name));
    }

    /**
     * Runs {@code tools/call}. An unknown tool or malformed params is a protocol error ({@code -32602});
     * arguments that fail the input schema, and failures the tool reports, are results with {@code isError}.
     */
    public ToolResult call(ObjectNode params, RequestContext context) {
        JsonNode nameNode = params.get("name");
        if (nameNode == null || !nameNode.isString()) {
            throw JsonRpcException.invalidParams("Missing tool name: params.name must be a string");
        }
        String name = nameNode.stringValue();
        Tool tool = find(name).orElseThrow(() -> JsonRpcException.invalidParams("Unknown tool: " + name));
        JsonNode arguments = params.get("arguments");
        if (arguments != null && !arguments.isNull() && !arguments.isObject()) {
            throw JsonRpcException.invalidParams("params.arguments must be an object");
        }
        ObjectNode args = arguments == null || arguments.isNull() ? Json.object() : (ObjectNode) arguments;
        List<String> problems = tool.inputSchema().validate(args);
        if (!problems.isEmpty()) {
            return ToolResult.error("Invalid arguments for tool " + name + ": " + String.join("; ", problems));
        }
        ToolResult result = invoke(tool, Tool.withDefaults(args, tool.inputSchema().source()), context);
        return result.isError() ? result : checkStructured(tool, result);
    }

    private static ToolResult invoke(Tool tool, ObjectNode args, RequestContext context) {
        try {
            return tool.invoker().invoke(args, context);
        } catch (ToolExecutionException | ClientRequestException e) {
            return ToolResult.error(e.getMessage());
        } catch (JacksonException e) {
            return ToolResult.error("Invalid arguments for tool " + tool.name() + ": " + e.getOriginalMessage());
        } catch (JsonRpcException | InsufficientScopeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ToolResult.error("Tool " + tool.name() + " was cancelled");
        } catch (Exception e) {
            LOG.error("Tool {} failed unexpectedly", tool.name(), e);
            throw new JsonRpcException(INTERNAL_ERROR, "Internal error");
        }
    }

    /** An output schema obliges the tool to return conforming {@code structuredContent} (MCP 2025-06-18). */
    private static ToolResult checkStructured(Tool tool, ToolResult result) {
        Optional<JsonSchema> schema = tool.outputSchema();
        if (schema.isEmpty()) {
            return result;
        }
        if (result.structuredContent() == null) {
            LOG.error("Tool {} declares an output schema but returned no structuredContent", tool.name());
            throw new JsonRpcException(INTERNAL_ERROR, "Internal error");
        }
        List<String> problems = schema.get().validate(result.structuredContent());
        if (!problems.isEmpty()) {
            LOG.error("Tool {} returned structuredContent that fails its output schema: {}", tool.name(), problems);
            throw new JsonRpcException(INTERNAL_ERROR, "Internal error");
        }
        if (result.content().isEmpty()) {
            List<Content> text = new ArrayList<>();
            text.add(Content.text(Json.MAPPER.writeValueAsString(result.structuredContent())));
            return new ToolResult(text, result.structuredContent(), false);
        }
        return result;
    }
}
