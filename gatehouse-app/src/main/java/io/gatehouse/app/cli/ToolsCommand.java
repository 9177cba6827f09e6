package io.gatehouse.app.cli;

import io.gatehouse.client.oauth.Http;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code gatehouse tools list|call}: an MCP server's tools, logging in first when needed. */
@Command(name = "tools", description = "List or call the tools of an MCP server.", mixinStandardHelpOptions = true,
        subcommands = {ToolsCommand.List.class, ToolsCommand.Call.class})
public final class ToolsCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tools you may use.")
    static final class List extends McpRequestCommand {
        @Override
        String method() {
            return "tools/list";
        }

        @Override
        void print(JsonNode result, PrintWriter out) {
            printNames(result.path("tools"), out);
        }
    }

    @Command(name = "call", mixinStandardHelpOptions = true, description = "Call a tool: --arg name=value (JSON values are parsed).")
    static final class Call extends McpRequestCommand {
        @Parameters(index = "1", paramLabel = "TOOL")
        String tool;
        @Option(names = "--arg", paramLabel = "NAME=VALUE", description = "An argument; repeatable. 3 and true are numbers and booleans.")
        java.util.List<String> args = java.util.List.of();

        @Override
        String method() {
            return "tools/call";
        }

        @Override
        ObjectNode params() {
            ObjectNode params = Http.JSON.createObjectNode();
            params.put("name", tool);
            params.set("arguments", arguments(args));
            return params;
        }

        @Override
        void print(JsonNode result, PrintWriter out) {
            result.path("content").forEach(c -> out.println(
                    c.path("type").asString().equals("text") ? c.path("text").asString() : "[" + c.path("type").asString() + "]"));
        }

        @Override
        int exitCode(JsonNode result) {
            return result.path("isError").asBoolean(false) ? ExitCodes.FAILURE : ExitCodes.OK;
        }
    }

    static ObjectNode arguments(java.util.List<String> pairs) {
        Map<String, String> raw = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new Object()), "--arg must be NAME=VALUE: " + pair);
            }
            raw.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        ObjectNode arguments = Http.JSON.createObjectNode();
        raw.forEach((name, value) -> {
            JsonNode parsed = null;
            try {
                parsed = Http.JSON.readTree(value);
            } catch (RuntimeException e) {
                // not JSON: a plain string
            }
            if (parsed != null && (parsed.isNumber() || parsed.isBoolean() || parsed.isObject() || parsed.isArray() || parsed.isNull())) {
                arguments.set(name, parsed);
            } else {
                arguments.put(name, value);
            }
        });
        return arguments;
    }

    private ToolsCommand() {
    }
}
