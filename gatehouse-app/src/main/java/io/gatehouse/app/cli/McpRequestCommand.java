package io.gatehouse.app.cli;

import io.gatehouse.client.mcp.McpClient;
import io.gatehouse.client.oauth.Http;
import java.io.PrintWriter;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A command that sends one MCP request to a server (logging in first when needed) and prints its result:
 * as JSON with {@code --json}, else in the subclass's words.
 */
abstract class McpRequestCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    ClientOptionsMixin options;
    @Parameters(index = "0", paramLabel = "MCP-URL")
    URI url;
    @Option(names = "--json", description = "Print the raw JSON result.")
    boolean json;

    abstract String method();

    ObjectNode params() {
        return Http.JSON.createObjectNode();
    }

    abstract void print(JsonNode result, PrintWriter out);

    int exitCode(JsonNode result) {
        return ExitCodes.OK;
    }

    @Override
    public Integer call() {
        JsonNode result;
        try (McpClient client = options.client(url, spec.commandLine().getErr())) {
            result = client.request(method(), params());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Http.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        } else {
            print(result, out);
        }
        return exitCode(result);
    }

    /** One line per item of {@code list}: its name and description. */
    static void printNames(JsonNode list, PrintWriter out) {
        list.forEach(item -> out.printf("%-20s %s%n", item.path("name").asString(), item.path("description").asString("")));
    }
}
