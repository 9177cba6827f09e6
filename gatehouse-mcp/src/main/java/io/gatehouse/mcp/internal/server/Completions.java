package io.gatehouse.mcp.internal.server;

import io.gatehouse.mcp.completion.Completer;
import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcException;
import io.gatehouse.mcp.prompts.Prompt;
import io.gatehouse.mcp.resources.ResourceTemplate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Argument completion ({@code completion/complete}) for the prompts and resource templates that offer it. */
final class Completions {

    private final PromptRegistry prompts;
    private final ResourceRegistry resources;

    Completions(PromptRegistry prompts, ResourceRegistry resources) {
        this.prompts = prompts;
        this.resources = resources;
    }

    /** Whether any prompt or template completes an argument: then {@code completions} is declared. */
    boolean any() {
        return prompts.all().stream().anyMatch(Prompt::hasCompleters)
                || resources.templates().stream().anyMatch(ResourceTemplate::hasCompleters);
    }

    /** {@code completion/complete}: at most 100 values, with the total and whether there are more. */
    Object complete(ObjectNode params, HandlerContext context) {
        JsonNode ref = params.path("ref");
        String argument = params.path("argument").path("name").stringValue(null);
        String value = params.path("argument").path("value").stringValue("");
        if (argument == null) {
            throw JsonRpcException.invalidParams("params.argument.name must be a string");
        }
        Map<String, String> chosen = new HashMap<>();
        params.path("context").path("arguments").properties()
                .forEach(e -> chosen.put(e.getKey(), e.getValue().asString("")));
        Optional<Completer> completer = switch (ref.path("type").stringValue("")) {
            case "ref/prompt" -> prompts.find(ref.path("name").stringValue(""))
                    .orElseThrow(() -> JsonRpcException.invalidParams("Unknown prompt: " + ref.path("name").asString("")))
                    .completer(argument);
            case "ref/resource" -> resources.template(ref.path("uri").stringValue(""))
                    .orElseThrow(() -> JsonRpcException.invalidParams("Unknown resource template: " + ref.path("uri").asString("")))
                    .completer(argument);
            default -> throw JsonRpcException.invalidParams("params.ref.type must be ref/prompt or ref/resource");
        };
        List<String> values = completer.map(c -> c.complete(value, chosen)).orElse(List.of());
        ObjectNode result = Json.object();
        ObjectNode completion = result.putObject("completion");
        List<String> first = values.size() > 100 ? values.subList(0, 100) : values;
        completion.set("values", Json.MAPPER.valueToTree(first));
        completion.put("total", values.size());
        completion.put("hasMore", values.size() > first.size());
        return result;
    }

}
