package io.gatehouse.app;

import io.gatehouse.app.cli.ConfigCommand;
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
import io.gatehouse.server.internal.config.ConfigException;
import io.gatehouse.client.terminal.TerminalSafeWriter;
import io.gatehouse.server.internal.Version;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gatehouse} command. */
@Command(name = "gatehouse", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Gatehouse: an MCP server over Streamable HTTP with the MCP authorization story built in.",
        subcommands = {ServeCommand.class, LoginCommand.class, LogoutCommand.class, ToolsCommand.class, PromptsCommand.class,
                TokenCommand.class, KeysCommand.class, ConfigCommand.class, UsersCommand.class, IdpCheckCommand.class, ConformanceCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Start with:  gatehouse serve    (then point an MCP client at http://localhost:9000/mcp)"})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line with Gatehouse's error handling (a config mistake is a message, not a stack trace) and
     * terminal-safe output: what a command prints (server-supplied names, tool results, error messages) goes
     * through a {@link TerminalSafeWriter}, so a server cannot drive the user's terminal. Help texts are ours
     * and keep picocli's colours.
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionStrategy(parseResult -> {
            Integer help = CommandLine.executeHelpRequest(parseResult);
            if (help != null) {
                return help;
            }
            Object command = parseResult.asCommandLineList().getLast().getCommand();
            if (!(command instanceof Main) && !(command instanceof CommandLine.HelpCommand)) {
                CommandLine top = parseResult.commandSpec().commandLine();
                top.setOut(terminalSafe(top.getOut()));
                top.setErr(terminalSafe(top.getErr()));
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        CommandLine.IParameterExceptionHandler picocliDefault = cli.getParameterExceptionHandler();
        cli.setParameterExceptionHandler((e, args) -> e instanceof CommandLine.UnmatchedArgumentException unmatched
                ? unknownArguments(unmatched) : picocliDefault.handleParseException(e, args));
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

    /**
     * Names the unknown flags only: picocli would echo every unmatched argument, and the one after a misspelled
     * {@code --database-pasword} (or after its {@code =}) is a password.
     */
    private static int unknownArguments(CommandLine.UnmatchedArgumentException e) {
        CommandLine commandLine = e.getCommandLine();
        List<String> flags = e.getUnmatched().stream().filter(a -> a.startsWith("-"))
                .map(a -> a.contains("=") ? a.substring(0, a.indexOf('=')) + "=..." : a).toList();
        long others = e.getUnmatched().stream().filter(a -> !a.startsWith("-")).count();
        PrintWriter err = commandLine.getErr();
        err.println((flags.isEmpty() ? "Unexpected arguments" : "Unknown options: " + String.join(", ", flags))
                + (others == 0 ? "" : " (and " + others + " other argument" + (others == 1 ? "" : "s") + ", not shown)"));
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for more information.");
        return ExitCodes.USAGE;
    }

    private static PrintWriter terminalSafe(PrintWriter writer) {
        return writer instanceof TerminalSafePrintWriter ? writer : new TerminalSafePrintWriter(writer);
    }

    /** Marks a writer already made terminal-safe, so running the same command line twice does not wrap it twice. */
    private static final class TerminalSafePrintWriter extends PrintWriter {
        TerminalSafePrintWriter(PrintWriter out) {
            super(new TerminalSafeWriter(out), true);
        }
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
