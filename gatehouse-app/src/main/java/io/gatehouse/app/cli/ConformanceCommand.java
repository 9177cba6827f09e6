package io.gatehouse.app.cli;

import io.gatehouse.client.mcp.InputResponder;
import io.gatehouse.client.mcp.McpClient;
import io.gatehouse.client.mcp.ServerDescription;
import io.gatehouse.client.oauth.ClientOptions;
import io.gatehouse.client.oauth.CredentialStore;
import io.gatehouse.client.oauth.Http;
import io.gatehouse.client.oauth.McpAuthorizer;
import io.gatehouse.client.oauth.UrlOpener;
import io.gatehouse.client.terminal.TerminalText;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code gatehouse conformance client <server-url>}: what the official conformance suite's client runner calls.
 * It uses the same client code as {@code gatehouse login} and {@code gatehouse tools}; only the "browser" differs
 * (the suite's mock authorization server redirects at once, so the URL is fetched and its redirects followed) and
 * the input requests are answered without a person (elicitation accepted with the form's defaults, roots the
 * working directory). Pre-registered credentials and the tool calls a scenario wants come from
 * {@code MCP_CONFORMANCE_CONTEXT}; otherwise every tool listed is called with example arguments, and the prompts
 * and resources the server declares are listed and the first of each fetched. The suite's client ID metadata
 * document URL is used where the server supports them.
 */
@Command(name = "conformance", description = "Adapters for the official MCP conformance suite.", mixinStandardHelpOptions = true,
        subcommands = ConformanceCommand.Client.class)
public final class ConformanceCommand {

    static final String CIMD_URL = "https://conformance-test.local/client-metadata.json";

    private ConformanceCommand() {
    }

    @Command(name = "client", mixinStandardHelpOptions = true,
            description = "Run as the client under test: connect, list and call tools (and prompts and resources).")
    static final class Client implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "SERVER-URL")
        URI url;

        @Override
        public Integer call() throws Exception {
            JsonNode context = Http.JSON.readTree(Optional.ofNullable(System.getenv("MCP_CONFORMANCE_CONTEXT")).orElse("{}"));
            Optional<String> clientId = text(context, "client_id");
            ClientOptions options = new ClientOptions(clientId, text(context, "client_secret"), Optional.of(CIMD_URL), Optional.empty(),
                    true, false, UrlOpener.fetch(), Duration.ofSeconds(30), "Gatehouse conformance client");
            CredentialStore store = new CredentialStore(Files.createTempDirectory("gatehouse-conformance").resolve("credentials.json"));
            McpAuthorizer authorizer = new McpAuthorizer(new Http(), store, options, Clock.systemUTC());
            PrintWriter err = spec.commandLine().getErr();
            McpClient.Settings settings = new McpClient.Settings(Optional.empty(), "gatehouse-conformance-client", "1",
                    new Unattended(Path.of("").toAbsolutePath()));
            int failures = 0;
            try (McpClient client = new McpClient(url, new Http(), authorizer, settings)) {
                ServerDescription server = client.connect();
                err.println("conformance client: MCP " + server.protocolVersion());
                JsonNode tools = client.request("tools/list", Http.JSON.createObjectNode()).path("tools");
                if (context.path("toolCalls").isArray()) {
                    for (JsonNode call : context.path("toolCalls")) {
                        failures += callTool(client, call.path("name").asString(""), call.path("arguments"), err);
                    }
                } else {
                    for (JsonNode tool : tools) {
                        failures += callTool(client, tool.path("name").asString(""), ExampleArguments.forSchema(tool.path("inputSchema")), err);
                    }
                }
                failures += prompts(client, server, err) + resources(client, server, err);
            }
            err.println("conformance client: done after " + authorizer.authorizations() + " authorization(s)");
            return failures == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
        }

        private static int callTool(McpClient client, String name, JsonNode arguments, PrintWriter err) {
            ObjectNode params = Http.JSON.createObjectNode();
            params.put("name", name);
            params.set("arguments", arguments.isObject() ? arguments : Http.JSON.createObjectNode());
            return attempt("tool " + name, () -> client.request("tools/call", params), err);
        }

        private static int prompts(McpClient client, ServerDescription server, PrintWriter err) {
            if (!server.capabilities().has("prompts")) {
                return 0;
            }
            JsonNode prompts = client.request("prompts/list", Http.JSON.createObjectNode()).path("prompts");
            if (prompts.isEmpty()) {
                return 0;
            }
            JsonNode prompt = prompts.get(0);
            ObjectNode params = Http.JSON.createObjectNode();
            params.put("name", prompt.path("name").asString(""));
            ObjectNode arguments = params.putObject("arguments");
            prompt.path("arguments").forEach(a -> {
                if (a.path("required").asBoolean(false)) {
                    arguments.put(a.path("name").asString(""), "test");
                }
            });
            return attempt("prompt " + prompt.path("name").asString(""), () -> client.request("prompts/get", params), err);
        }

        private static int resources(McpClient client, ServerDescription server, PrintWriter err) {
            if (!server.capabilities().has("resources")) {
                return 0;
            }
            JsonNode resources = client.request("resources/list", Http.JSON.createObjectNode()).path("resources");
            if (resources.isEmpty()) {
                return 0;
            }
            ObjectNode params = Http.JSON.createObjectNode();
            params.put("uri", resources.get(0).path("uri").asString(""));
            return attempt("resource " + params.path("uri").asString(), () -> client.request("resources/read", params), err);
        }

        private static int attempt(String what, Runnable call, PrintWriter err) {
            try {
                call.run();
                return 0;
            } catch (McpClient.McpException e) {
                err.println("conformance client: " + TerminalText.neutralize(what) + " failed: " + TerminalText.neutralize(e.getMessage()));
                return 1;
            }
        }

        private static Optional<String> text(JsonNode node, String name) {
            String value = node.path(name).asString("");
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        }
    }

    /** Answers input requests without a person: elicitation accepted with the form's defaults, roots the working directory. */
    static final class Unattended implements InputResponder {
        private final Path root;

        Unattended(Path root) {
            this.root = root;
        }

        @Override
        public ObjectNode capabilities() {
            ObjectNode capabilities = Http.JSON.createObjectNode();
            capabilities.putObject("roots");
            capabilities.putObject("elicitation").putObject("form");
            return capabilities;
        }

        @Override
        public JsonNode answer(String method, JsonNode params) {
            return switch (method) {
                case "roots/list" -> {
                    ObjectNode result = Http.JSON.createObjectNode();
                    result.putArray("roots").addObject().put("uri", root.toUri().toString()).put("name", "working directory");
                    yield result;
                }
                case "elicitation/create" -> {
                    ObjectNode result = Http.JSON.createObjectNode().put("action", "accept");
                    ObjectNode content = result.putObject("content");
                    for (Map.Entry<String, JsonNode> field : params.path("requestedSchema").path("properties").properties()) {
                        if (field.getValue().has("default")) {
                            content.set(field.getKey(), field.getValue().get("default"));
                        } else if (field.getValue().path("type").asString("").equals("boolean")) {
                            content.put(field.getKey(), true);
                        }
                    }
                    yield result;
                }
                default -> throw InputResponder.refused(method);
            };
        }
    }
}
