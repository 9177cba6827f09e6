package io.gatehouse.app.cli;

import io.gatehouse.client.oauth.Http;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code gatehouse prompts list|get}: an MCP server's prompts. */
@Command(name = "prompts", description = "List or get the prompts of an MCP server.", mixinStandardHelpOptions = true,
        subcommands = {PromptsCommand.ListPrompts.class, PromptsCommand.Get.class})
public final class PromptsCommand {

    private PromptsCommand() {
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the prompts you may use.")
    static final class ListPrompts implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptionsMixin options;
        @Parameters(index = "0", paramLabel = "MCP-URL")
        URI url;
        @Option(names = "--json", description = "Print the raw JSON result.")
        boolean json;

        @Override
        public Integer call() {
            JsonNode result = options.request(spec, url, "prompts/list", Http.JSON.createObjectNode());
            if (json) {
                ClientOptionsMixin.printJson(spec, result);
            } else {
                ClientOptionsMixin.printNames(spec, result.path("prompts"));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Get a prompt: --arg name=value.")
    static final class Get implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptionsMixin options;
        @Parameters(index = "0", paramLabel = "MCP-URL")
        URI url;
        @Parameters(index = "1", paramLabel = "PROMPT")
        String prompt;
        @Option(names = "--arg", paramLabel = "NAME=VALUE", description = "An argument; repeatable.")
        java.util.List<String> args = java.util.List.of();
        @Option(names = "--json", description = "Print the raw JSON result.")
        boolean json;

        @Override
        public Integer call() {
            ObjectNode params = Http.JSON.createObjectNode();
            params.put("name", prompt);
            ObjectNode arguments = params.putObject("arguments");
            ToolsCommand.arguments(args).properties().forEach(e -> arguments.put(e.getKey(), e.getValue().asString(e.getValue().toString())));
            JsonNode result = options.request(spec, url, "prompts/get", params);
            if (json) {
                ClientOptionsMixin.printJson(spec, result);
            } else {
                result.path("messages").forEach(m -> spec.commandLine().getOut().println(m.path("role").asString() + ": "
                        + m.path("content").path("text").asString("[" + m.path("content").path("type").asString() + "]")));
            }
            return ExitCodes.OK;
        }
    }
}
