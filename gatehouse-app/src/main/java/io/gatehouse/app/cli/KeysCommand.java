package io.gatehouse.app.cli;

import io.gatehouse.server.internal.auth.LocalKeys;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gatehouse keys generate}: a signing key pair for {@code --auth local-keys}. */
@Command(name = "keys", description = "Manage the local signing keys of --auth local-keys.", mixinStandardHelpOptions = true,
        subcommands = KeysCommand.Generate.class)
public final class KeysCommand {

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
