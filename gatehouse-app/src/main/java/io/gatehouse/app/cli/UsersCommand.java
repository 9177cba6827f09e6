package io.gatehouse.app.cli;

import io.gatehouse.as.users.PasswordHasher;
import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gatehouse users hash-password}: a password hash for the config file's {@code users:} section. */
@Command(name = "users", description = "Users of the embedded authorization server.", mixinStandardHelpOptions = true,
        subcommands = UsersCommand.HashPassword.class)
public final class UsersCommand {

    private UsersCommand() {
    }

    @Command(name = "hash-password", mixinStandardHelpOptions = true,
            description = {"Read a password (typed without echo, or the first line of standard input) and print its "
                    + "PBKDF2 hash for the config file:", "  users:", "    - username: carol", "      password-hash: <the hash>",
                    "      roles: [user]", "      scopes: [mcp:read, mcp:tools]"})
    static final class HashPassword implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Console console = System.console();
            char[] password;
            if (console != null) {
                password = console.readPassword("Password: ");
            } else {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                password = line == null ? new char[0] : line.toCharArray();
            }
            if (password == null || password.length < 8) {
                spec.commandLine().getErr().println("Choose a password of at least 8 characters.");
                return ExitCodes.USAGE;
            }
            spec.commandLine().getOut().println(PasswordHasher.hash(password));
            Arrays.fill(password, '\0');
            return ExitCodes.OK;
        }
    }
}
