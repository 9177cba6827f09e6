package io.gatehouse.mcp.internal.server;

import static io.gatehouse.mcp.internal.jsonrpc.JsonRpcErrorCodes.INTERNAL_ERROR;

import io.gatehouse.mcp.internal.jsonrpc.JsonRpcException;
import io.gatehouse.mcp.context.InsufficientScopeException;
import io.gatehouse.mcp.prompts.Prompt;
import io.gatehouse.mcp.prompts.PromptResult;
import io.gatehouse.mcp.context.RequestContext;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The prompts a server offers and the {@code prompts/get} procedure with argument validation. */
final class PromptRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(PromptRegistry.class);

    private final Map<String, Prompt> prompts = new LinkedHashMap<>();

    PromptRegistry(Collection<Prompt> prompts) {
        for (Prompt prompt : prompts) {
            if (this.prompts.putIfAbsent(prompt.name(), prompt) != null) {
                throw new IllegalArgumentException("two prompts are named " + prompt.name());
            }
        }
    }

    boolean isEmpty() {
        return prompts.isEmpty();
    }

    Collection<Prompt> all() {
        return prompts.values();
    }

    Optional<Prompt> find(String name) {
        return Optional.ofNullable(prompts.get(name));
    }

    /** Runs {@code prompts/get}: an unknown name or a missing required argument is {@code -32602}. */
    PromptResult get(ObjectNode params, RequestContext context) {
        JsonNode nameNode = params.get("name");
        if (nameNode == null || !nameNode.isString()) {
            throw JsonRpcException.invalidParams("Missing prompt name: params.name must be a string");
        }
        String name = nameNode.stringValue();
        Prompt prompt = find(name).orElseThrow(() -> JsonRpcException.invalidParams("Unknown prompt: " + name));
        Map<String, String> arguments = arguments(params.get("arguments"));
        for (Prompt.Argument declared : prompt.arguments().values()) {
            if (declared.required() && !arguments.containsKey(declared.name())) {
                throw JsonRpcException.invalidParams("Missing required argument: " + declared.name());
            }
        }
        for (String given : arguments.keySet()) {
            if (!prompt.arguments().containsKey(given)) {
                throw JsonRpcException.invalidParams("Unknown argument for prompt " + name + ": " + given);
            }
        }
        try {
            return prompt.handler().get(arguments, context);
        } catch (InsufficientScopeException | JsonRpcException e) {
            throw e; // a step-up refusal passes through untouched, for the transport's 403 challenge
        } catch (Exception e) {
            LOG.error("Prompt {} failed unexpectedly", name, e);
            throw new JsonRpcException(INTERNAL_ERROR, "Internal error");
        }
    }

    /** Prompt arguments are a map of strings (MCP {@code GetPromptRequest}). */
    static Map<String, String> arguments(JsonNode node) {
        Map<String, String> arguments = new HashMap<>();
        if (node == null || node.isNull()) {
            return arguments;
        }
        if (!node.isObject()) {
            throw JsonRpcException.invalidParams("params.arguments must be an object of strings");
        }
        for (var entry : node.properties()) {
            if (!entry.getValue().isString()) {
                throw JsonRpcException.invalidParams("argument " + entry.getKey() + " must be a string");
            }
            arguments.put(entry.getKey(), entry.getValue().stringValue());
        }
        return arguments;
    }
}
