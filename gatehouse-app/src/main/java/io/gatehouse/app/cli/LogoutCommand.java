package io.gatehouse.app.cli;

import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gatehouse logout <mcp-url>}: revokes the tokens where the server supports it, and forgets them. */
@Command(name = "logout", mixinStandardHelpOptions = true, description = "Revoke and forget the tokens held for an MCP server.")
public final class LogoutCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    ClientOptionsMixin options;
    @Parameters(index = "0", paramLabel = "MCP-URL")
    URI url;

    @Override
    public Integer call() {
        var issuer = options.authorizer(spec.commandLine().getErr()).logout(url);
        spec.commandLine().getOut().println(issuer.map(i -> "Logged out of " + url + " (tokens from " + i + " revoked and forgotten).")
                .orElse("Not logged in to " + url + "."));
        return ExitCodes.OK;
    }
}
