package io.gatehouse.app.cli;

import io.gatehouse.client.oauth.Http;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code gatehouse prompts list|get}: an MCP server's prompts. */
@Command(name = "prompts", description = "List or get the prompts of an MCP server.", mixinStandardHelpOptions = true,
        subcommands = {PromptsCommand.ListPrompts.class, PromptsCommand.Get.class})
public final class PromptsCommand {

    private PromptsCommand() {
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the prompts you may use.")
    static final class ListPrompts extends McpRequestCommand {
        @Override
        String method() {
            return "prompts/list";
        }

        @Override
        void print(JsonNode result, PrintWriter out) {
            printNames(result.path("prompts"), out);
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Get a prompt: --arg name=value.")
    static final class Get extends McpRequestCommand {
        @Parameters(index = "1", paramLabel = "PROMPT")
        String prompt;
        @Option(names = "--arg", paramLabel = "NAME=VALUE", description = "An argument; repeatable.")
        java.util.List<String> args = java.util.List.of();

        @Override
        String method() {
            return "prompts/get";
        }

        @Override
        ObjectNode params() {
            ObjectNode params = Http.JSON.createObjectNode();
            params.put("name", prompt);
            ObjectNode arguments = params.putObject("arguments");
            ToolsCommand.arguments(args).properties().forEach(e -> arguments.put(e.getKey(), e.getValue().asString(e.getValue().toString())));
            return params;
        }

        @Override
        void print(JsonNode result, PrintWriter out) {
            result.path("messages").forEach(m -> out.println(m.path("role").asString() + ": "
                    + m.path("content").path("text").asString("[" + m.path("content").path("type").asString() + "]")));
        }
    }
}
