package io.gatehouse.server.internal.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The flags of {@code gatehouse serve} (and of the commands that read the same settings, such as
 * {@code gatehouse config check}), made from {@link ConfigKeys}: one {@code --name} per setting, with the setting's
 * kind as its parameter and its description and default as its help, plus {@code --config} and {@code --env}. A
 * command gets them with {@code @Command(modelTransformer = ServeOptions.class)}; a library {@code GatehouseServer}
 * parses its {@code args} with {@link #addTo} on an empty spec, so both accept the same flags with the same meaning.
 * {@link #settings} layers the flags given over the environment, the env file, the config file and code-given defaults.
 */
public final class ServeOptions implements CommandLine.IModelTransformer {

    /** Older spellings kept working: the list settings also take one value per repeated flag. */
    private static final Map<String, String> ALIASES = Map.of("allowed-origins", "--allowed-origin", "allowed-hosts", "--allowed-host");
    private static final String CONFIG = "--config";
    private static final String ENV = "--env";

    @Override
    public CommandSpec transform(CommandSpec spec) {
        addTo(spec);
        return spec;
    }

    /** Adds one option per setting, {@code --config} and {@code --env} to {@code spec}. */
    public static void addTo(CommandSpec spec) {
        for (ConfigKeys.Key key : ConfigKeys.all()) {
            List<String> names = ALIASES.containsKey(key.name()) ? List.of(key.flag(), ALIASES.get(key.name())) : List.of(key.flag());
            OptionSpec.Builder option = OptionSpec.builder(names.toArray(String[]::new)).paramLabel(key.label())
                    .description(help(key));
            if (key.kind() == ConfigKeys.Kind.LIST) {
                option.type(List.class).auxiliaryTypes(String.class).splitRegex(",");
            } else {
                option.type(String.class);
            }
            spec.addOption(option.build());
        }
        spec.addOption(OptionSpec.builder(CONFIG).paramLabel("FILE").type(Path.class)
                .description("YAML config file with any of the settings (keys as the flags, without --).").build());
        spec.addOption(OptionSpec.builder(ENV).paramLabel("FILE").type(Path.class)
                .description("Env file of GATEHOUSE_*=value lines.").build());
    }

    private static String help(ConfigKeys.Key key) {
        String help = key.description();
        if (key.secret()) {
            help += " Prefer the environment variable " + key.environmentVariable() + ": flags are visible to other local users.";
        }
        return key.defaultValue().isEmpty() ? help : help + " Default: " + key.defaultValue() + ".";
    }

    /**
     * All layers: the flags parsed into {@code parsed} over {@code environment} (its {@code GATEHOUSE_*} variables), the
     * {@code --env} file, the {@code --config} file, and {@code codeDefaults} (settings by key given in code; empty for
     * {@code gatehouse serve}).
     */
    public static Settings settings(CommandSpec parsed, Map<String, String> environment, Map<String, String> codeDefaults) {
        return Settings.load(codeDefaults, Optional.ofNullable(parsed.findOption(CONFIG).getValue()),
                Optional.ofNullable(parsed.findOption(ENV).getValue()), environment, flags(parsed));
    }

    /** The settings given as flags, by key. */
    static Map<String, String> flags(CommandSpec parsed) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (ConfigKeys.Key key : ConfigKeys.all()) {
            Object value = parsed.findOption(key.flag()).getValue();
            if (value instanceof List<?> list && !list.isEmpty()) {
                flags.put(key.name(), String.join(",", list.stream().map(String::valueOf).toList()));
            } else if (value instanceof String text) {
                flags.put(key.name(), text);
            }
        }
        return flags;
    }
}
