package io.gatehouse.app.cli;

import io.gatehouse.client.mcp.McpClient;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gatehouse login <mcp-url>}: the MCP authorization flow, ending with a connected, initialized session. */
@Command(name = "login", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Log in to an MCP server: discover its authorization server, register, authorize with PKCE in your browser,",
                "and keep the tokens (per issuer) for the other commands. Nothing secret is printed."})
public final class LoginCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    ClientOptionsMixin options;
    @Parameters(index = "0", paramLabel = "MCP-URL", description = "The MCP endpoint, e.g. http://localhost:9000/mcp")
    URI url;

    @Override
    public Integer call() {
        try (McpClient client = options.client(url, spec.commandLine().getErr())) {
            var server = client.connect();
            spec.commandLine().getOut().println("Logged in to " + server.serverName().orElse(url.toString())
                    + " at " + url + " (MCP " + server.protocolVersion() + ").");
        }
        return ExitCodes.OK;
    }
}
