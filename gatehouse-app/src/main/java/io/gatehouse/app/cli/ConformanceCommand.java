package io.gatehouse.app.cli;

import io.gatehouse.client.mcp.McpClient;
import io.gatehouse.client.oauth.ClientOptions;
import io.gatehouse.client.oauth.CredentialStore;
import io.gatehouse.client.oauth.Http;
import io.gatehouse.client.oauth.McpAuthorizer;
import io.gatehouse.client.oauth.UrlOpener;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code gatehouse conformance client <server-url>}: what the official conformance suite's client runner calls.
 * It uses the same client code as {@code gatehouse login}; only the "browser" differs (the suite's mock
 * authorization server redirects at once, so the URL is fetched and its redirects followed). Pre-registered
 * credentials come from {@code MCP_CONFORMANCE_CONTEXT}; the suite's client ID metadata document URL is used
 * where the server supports them.
 */
@Command(name = "conformance", description = "Adapters for the official MCP conformance suite.", mixinStandardHelpOptions = true,
        subcommands = ConformanceCommand.Client.class)
public final class ConformanceCommand {

    static final String CIMD_URL = "https://conformance-test.local/client-metadata.json";

    private ConformanceCommand() {
    }

    @Command(name = "client", mixinStandardHelpOptions = true, description = "Run as the client under test: initialize, list tools, call one.")
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
            try (McpClient client = new McpClient(url, new Http(), authorizer)) {
                client.initialize("gatehouse-conformance-client");
                JsonNode tools = client.request("tools/list", Http.JSON.createObjectNode()).path("tools");
                if (!tools.isEmpty()) {
                    ObjectNode call = Http.JSON.createObjectNode();
                    call.put("name", tools.get(0).path("name").asString());
                    call.putObject("arguments");
                    client.request("tools/call", call);
                }
            }
            spec.commandLine().getErr().println("conformance client: done after " + authorizer.authorizations() + " authorization(s)");
            return ExitCodes.OK;
        }

        private static Optional<String> text(JsonNode node, String name) {
            String value = node.path(name).asString("");
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        }
    }
}
