package io.gatehouse.mcp.internal.server;

import io.gatehouse.mcp.internal.server.AccessPolicy.Requirement;
import io.gatehouse.mcp.prompts.Prompt;
import io.gatehouse.mcp.resources.Resource;
import io.gatehouse.mcp.resources.ResourceTemplate;
import io.gatehouse.mcp.tools.Tool;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Finds what the tool, prompt, resource or template a request addresses declares it needs, so the engine can
 * hand that declaration to the {@link AccessPolicy} directly. The item is named as the policy names it: the
 * {@code name} of {@code tools/call} and {@code prompts/get}, the {@code uri} of the resource methods, the
 * {@code ref} of {@code completion/complete}.
 */
final class Declarations {

    private final ToolRegistry tools;
    private final PromptRegistry prompts;
    private final ResourceRegistry resources;

    Declarations(ToolRegistry tools, PromptRegistry prompts, ResourceRegistry resources) {
        this.tools = tools;
        this.prompts = prompts;
        this.resources = resources;
    }

    /** {@link Requirement#NONE} when the request addresses no item, or one that declares nothing. */
    Requirement addressedBy(String method, ObjectNode params) {
        return switch (method) {
            case "tools/call" -> tools.find(text(params, "name")).map(Declarations::of).orElse(Requirement.NONE);
            case "prompts/get" -> prompt(text(params, "name"));
            case "resources/read", "resources/subscribe", "resources/unsubscribe" -> resource(text(params, "uri"));
            case "completion/complete" -> completion(params.path("ref"));
            default -> Requirement.NONE;
        };
    }

    private Requirement completion(JsonNode ref) {
        return switch (ref.path("type").asString("")) {
            case "ref/prompt" -> prompt(text(ref, "name"));
            case "ref/resource" -> resources.template(text(ref, "uri")).map(Declarations::of).orElse(Requirement.NONE);
            default -> Requirement.NONE;
        };
    }

    /** A resource with this very URI wins over a template, as in {@code resources/read}. */
    private Requirement resource(String uri) {
        return resources.resource(uri).map(Declarations::of)
                .or(() -> resources.matching(uri).map(Declarations::of))
                .orElse(Requirement.NONE);
    }

    private Requirement prompt(String name) {
        return prompts.find(name).map(Declarations::of).orElse(Requirement.NONE);
    }

    private static String text(JsonNode node, String field) {
        return node.path(field).asString("");
    }

    static Requirement of(Tool tool) {
        return new Requirement(tool.requiredScopes(), tool.requiredRoles());
    }

    static Requirement of(Prompt prompt) {
        return new Requirement(prompt.requiredScopes(), prompt.requiredRoles());
    }

    static Requirement of(Resource resource) {
        return new Requirement(resource.requiredScopes(), resource.requiredRoles());
    }

    static Requirement of(ResourceTemplate template) {
        return new Requirement(template.requiredScopes(), template.requiredRoles(), template.uriTemplate());
    }
}
