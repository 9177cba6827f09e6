package io.gatehouse.app.cli;

import io.gatehouse.server.internal.config.ConfigKeys;
import io.gatehouse.server.internal.config.GatehouseConfig;
import io.gatehouse.server.internal.config.ServeOptions;
import io.gatehouse.server.internal.config.Settings;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code gatehouse config check}: validates the settings {@code serve} would run with and prints them, secrets masked. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Inspect Gatehouse's configuration.",
        subcommands = ConfigCommand.Check.class)
public final class ConfigCommand {

    @Command(name = "check", sortOptions = false, mixinStandardHelpOptions = true, modelTransformer = ServeOptions.class,
            description = {"Check the settings 'gatehouse serve' would run with (the same flags, config file, env file and "
                    + "environment), without starting anything, and print every setting's effective value and where it came "
                    + "from. Secrets are shown as ******** when set.",
                    "Exit status 0 when the configuration is valid, 2 with the problem otherwise."},
            footer = {"", "Example:", "  gatehouse config check --config gatehouse.yaml"})
    static final class Check implements Callable<Integer> {

        static final String MASK = ConfigKeys.MASK;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Settings settings = ServeOptions.settings(spec, System.getenv(), Map.of());
            GatehouseConfig.from(settings); // a ConfigException ends here, printed by Main with exit status 2
            PrintWriter out = spec.commandLine().getOut();
            out.println("The configuration is valid. Effective settings:");
            int width = ConfigKeys.all().stream().mapToInt(k -> k.name().length()).max().orElse(0);
            for (ConfigKeys.Key key : ConfigKeys.all()) {
                Settings.Value value = settings.get(key.name()).orElse(new Settings.Value(key.defaultValue(), "default"));
                String shown = value.text().isEmpty() ? "(not set)" : key.shown(value.text());
                out.printf("  %-" + width + "s  %s   [%s]%n", key.name(), shown, value.source());
            }
            for (Map.Entry<String, Boolean> section : Map.of("access:", !settings.accessSection().isMissingNode(),
                    "clients:", !settings.clientsSection().isMissingNode(), "users:", !settings.usersSection().isMissingNode(),
                    "upstreams:", !settings.upstreamsSection().isMissingNode(), "scopes:", !settings.scopesSection().isMissingNode(),
                    "downstreams:", !settings.downstreamsSection().isMissingNode()).entrySet()) {
                if (section.getValue()) {
                    out.println("  config file section " + section.getKey() + " present and valid");
                }
            }
            return ExitCodes.OK;
        }
    }
}
