package io.gatehouse.app.cli;

import io.gatehouse.server.internal.auth.EmbeddedAuthorization;
import io.gatehouse.server.internal.auth.LocalKeys;
import io.gatehouse.server.internal.config.GatehouseConfig;
import io.gatehouse.server.internal.config.ServeOptions;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine.Mixin;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code gatehouse keys generate}: a signing key pair for {@code --auth local-keys}; {@code gatehouse keys rotate}: a new
 * signing key for the embedded authorization server, in its database.
 */
@Command(name = "keys", description = "Manage signing keys: the local ones of --auth local-keys (generate), the embedded "
        + "authorization server's (rotate).", mixinStandardHelpOptions = true,
        subcommands = {KeysCommand.Generate.class, KeysCommand.Rotate.class})
public final class KeysCommand {

    @Command(name = "rotate", sortOptions = false, mixinStandardHelpOptions = true,
            description = {"Rotate the embedded authorization server's signing key now, in the database the same settings "
                    + "would make 'gatehouse serve' use (--config, --env, GATEHOUSE_*, database-url), and print the new key id.",
                    "Running nodes on a shared database (PostgreSQL) sign with the new key within 10 seconds; tokens signed "
                    + "with the old key keep verifying until they expire. The default H2 database cannot be rotated while "
                    + "a server uses it."})
    static final class Rotate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ServeOptions options;

        @Override
        public Integer call() throws Exception {
            GatehouseConfig config = GatehouseConfig.from(options.settings(System.getenv(), Map.of()));
            String kid;
            try {
                kid = EmbeddedAuthorization.rotateSigningKeys(config, Clock.systemUTC());
            } catch (EmbeddedAuthorization.DatabaseInUseException e) {
                spec.commandLine().getErr().println("gatehouse keys rotate: " + e.getMessage());
                return ExitCodes.UNAVAILABLE;
            }
            spec.commandLine().getOut().println(kid);
            spec.commandLine().getErr().println("Rotated the signing key; the new key is " + kid + ". Running nodes sign with it "
                    + "within 10 seconds; tokens signed with the old key keep verifying until they expire.");
            return ExitCodes.OK;
        }
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = {"Generate a signing key pair: <out>/signing-key.jwk (private, readable only by you) and "
                    + "<out>/jwks.json (public; what 'gatehouse serve --auth local-keys --jwks-file' verifies with).",
                    "Never commit the private key."})
    static final class Generate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--out", paramLabel = "DIR", defaultValue = "gatehouse-data/keys",
                description = "Directory for the key files (default: ${DEFAULT-VALUE}, where serve looks by default).")
        Path out;

        @Option(names = "--type", paramLabel = "TYPE", defaultValue = "RSA", description = "RSA (RS256, the default) or EC (ES256).")
        LocalKeys.KeyType type;

        @Override
        public Integer call() throws Exception {
            var key = LocalKeys.generate(out, type);
            spec.commandLine().getOut().println("Generated " + type + " key " + key.getKeyID() + ":");
            spec.commandLine().getOut().println("  private: " + out.resolve(LocalKeys.PRIVATE_KEY_FILE) + " (mode 600; never commit it)");
            spec.commandLine().getOut().println("  public:  " + out.resolve(LocalKeys.PUBLIC_KEYS_FILE));
            return ExitCodes.OK;
        }
    }
}
