package io.gatehouse.mcp.internal.server;

import static io.gatehouse.mcp.internal.jsonrpc.JsonRpcErrorCodes.INTERNAL_ERROR;

import io.gatehouse.mcp.content.Content;
import io.gatehouse.mcp.context.ClientRequestException;
import io.gatehouse.mcp.context.DownstreamTokenException;
import io.gatehouse.mcp.context.InsufficientScopeException;
import io.gatehouse.mcp.context.RequestContext;
import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcException;
import io.gatehouse.mcp.internal.schema.JsonSchema;
import io.gatehouse.mcp.tools.Tool;
import io.gatehouse.mcp.tools.ToolExecutionException;
import io.gatehouse.mcp.tools.ToolResult;
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
 * The tools a server offers, in registration order, with their schemas compiled once, and the {@code tools/call}
 * procedure: look the tool up by its exact name, validate the arguments, run the handler, check the structured
 * result.
 */
final class ToolRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ToolRegistry.class);

    /** A tool with its schemas compiled. */
    private record Registered(Tool tool, JsonSchema input, Optional<JsonSchema> output) {
    }

    private final Map<String, Registered> tools = new LinkedHashMap<>();

    /** @throws IllegalArgumentException when two tools share a name or a schema cannot be used */
    ToolRegistry(Collection<Tool> tools) {
        for (Tool tool : tools) {
            Registered registered = new Registered(tool, compile(tool, tool.inputSchema()),
                    tool.outputSchema().map(s -> compile(tool, s)));
            if (this.tools.putIfAbsent(tool.name(), registered) != null) {
                throw new IllegalArgumentException("two tools are named " + tool.name());
            }
        }
    }

    private static JsonSchema compile(Tool tool, ObjectNode schema) {
        try {
            return JsonSchema.compile(schema);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tool " + tool.name() + ": " + e.getMessage(), e);
        }
    }

    boolean isEmpty() {
        return tools.isEmpty();
    }

    List<Tool> all() {
        return tools.values().stream().map(Registered::tool).toList();
    }

    Optional<Tool> find(String name) {
        return Optional.ofNullable(tools.get(name)).map(Registered::tool);
    }

    /**
     * Runs {@code tools/call}. An unknown tool or malformed params is a protocol error ({@code -32602});
     * arguments that fail the input schema, and failures the tool reports, are results with {@code isError}.
     */
    ToolResult call(ObjectNode params, RequestContext context) {
        JsonNode nameNode = params.get("name");
        if (nameNode == null || !nameNode.isString()) {
            throw JsonRpcException.invalidParams("Missing tool name: params.name must be a string");
        }
        String name = nameNode.stringValue();
        Registered tool = Optional.ofNullable(tools.get(name))
                .orElseThrow(() -> JsonRpcException.invalidParams("Unknown tool: " + name));
        JsonNode arguments = params.get("arguments");
        if (arguments != null && !arguments.isNull() && !arguments.isObject()) {
            throw JsonRpcException.invalidParams("params.arguments must be an object");
        }
        ObjectNode args = arguments == null || arguments.isNull() ? Json.object() : (ObjectNode) arguments;
        List<String> problems = tool.input().validate(args);
        if (!problems.isEmpty()) {
            return ToolResult.error("Invalid arguments for tool " + name + ": " + String.join("; ", problems));
        }
        ToolResult result = invoke(tool.tool(), withDefaults(args, tool.input().source()), context);
        return result.isError() ? result : checkStructured(tool, result);
    }

    /**
     * Runs the handler. A step-up refusal ({@link InsufficientScopeException}) passes through untouched, for the
     * transport to answer with the 403 challenge.
     */
    private static ToolResult invoke(Tool tool, ObjectNode args, RequestContext context) {
        try {
            return tool.call(args, context);
        } catch (InsufficientScopeException | JsonRpcException e) {
            throw e;
        } catch (ToolExecutionException | ClientRequestException | DownstreamTokenException e) {
            return ToolResult.error(e.getMessage());
        } catch (JacksonException e) {
            return ToolResult.error("Invalid arguments for tool " + tool.name() + ": " + e.getOriginalMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ToolResult.error("Tool " + tool.name() + " was cancelled");
        } catch (Exception e) {
            LOG.error("Tool {} failed unexpectedly", tool.name(), e);
            throw new JsonRpcException(INTERNAL_ERROR, "Internal error");
        }
    }

    /** An output schema obliges the tool to return conforming {@code structuredContent} (MCP 2025-06-18). */
    private static ToolResult checkStructured(Registered tool, ToolResult result) {
        if (tool.output().isEmpty()) {
            return result;
        }
        String name = tool.tool().name();
        if (result.structuredContent() == null) {
            LOG.error("Tool {} declares an output schema but returned no structuredContent", name);
            throw new JsonRpcException(INTERNAL_ERROR, "Internal error");
        }
        List<String> problems = tool.output().get().validate(result.structuredContent());
        if (!problems.isEmpty()) {
            LOG.error("Tool {} returned structuredContent that fails its output schema: {}", name, problems);
            throw new JsonRpcException(INTERNAL_ERROR, "Internal error");
        }
        if (result.content().isEmpty()) {
            List<Content> text = new ArrayList<>();
            text.add(Content.text(Json.MAPPER.writeValueAsString(result.structuredContent())));
            return new ToolResult(text, result.structuredContent(), false);
        }
        return result;
    }

    /** Fills in the schema's top-level defaults for arguments the caller left out. */
    static ObjectNode withDefaults(ObjectNode arguments, ObjectNode schema) {
        JsonNode properties = schema.path("properties");
        ObjectNode filled = null;
        for (var entry : properties.properties()) {
            JsonNode def = entry.getValue().get("default");
            if (def != null && !arguments.has(entry.getKey())) {
                if (filled == null) {
                    filled = arguments.deepCopy();
                }
                filled.set(entry.getKey(), def);
            }
        }
        return filled == null ? arguments : filled;
    }
}
