package io.gatehouse.app;

import io.gatehouse.app.cli.ConformanceCommand;
import io.gatehouse.app.cli.ExitCodes;
import io.gatehouse.app.cli.IdpCheckCommand;
import io.gatehouse.app.cli.LoginCommand;
import io.gatehouse.app.cli.LogoutCommand;
import io.gatehouse.app.cli.PromptsCommand;
import io.gatehouse.app.cli.ToolsCommand;
import io.gatehouse.app.cli.UsersCommand;
import io.gatehouse.app.cli.KeysCommand;
import io.gatehouse.app.cli.TokenCommand;
import io.gatehouse.app.cli.ServeCommand;
import io.gatehouse.app.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gatehouse} command. */
@Command(name = "gatehouse", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Gatehouse: an MCP server over Streamable HTTP with the MCP authorization story built in.",
        subcommands = {ServeCommand.class, LoginCommand.class, LogoutCommand.class, ToolsCommand.class, PromptsCommand.class,
                TokenCommand.class, KeysCommand.class, UsersCommand.class, IdpCheckCommand.class, ConformanceCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Start with:  gatehouse serve    (then point an MCP client at http://localhost:9000/mcp)"})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with Gatehouse's error handling: a config mistake is a message, not a stack trace. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException) {
                commandLine.getErr().println("Configuration error: " + e.getMessage());
                return ExitCodes.USAGE;
            }
            if (e instanceof io.gatehouse.client.oauth.OAuthClientException || e instanceof io.gatehouse.client.mcp.McpClient.McpException) {
                commandLine.getErr().println("gatehouse: " + e.getMessage());
                return ExitCodes.FAILURE;
            }
            commandLine.getErr().println("gatehouse: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return ExitCodes.FAILURE;
        });
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"gatehouse " + Version.get(), "Java " + Runtime.version()};
        }
    }
}
