package io.gatehouse.server.internal.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Raw configuration values by key, layered in the order of ARCHITECTURE decision 7: built-in defaults &lt;
 * config file (YAML) &lt; env file ({@code KEY=VALUE} lines) &lt; environment variables &lt; command-line
 * flags. Keys are dashed ({@code public-url}); in env files and the environment they are spelled
 * {@code GATEHOUSE_PUBLIC_URL}. Each value remembers where it came from, so errors can say.
 */
public final class Settings {

    /** A value and the layer that set it. */
    public record Value(String text, String source) {
    }

    /** The tutorial's env-file variables (keycloak_direct.env, keycloak_proxy.env), understood as its step 10 did. */
    static final java.util.Set<String> TUTORIAL_VARIABLES = java.util.Set.of("KEYCLOAK_URL", "KEYCLOAK_REALM", "MCP_SERVER_URL",
            "JWT_ISSUER", "JWT_AUDIENCE");

    private final Map<String, Value> values = new LinkedHashMap<>();
    private Map<String, String> environment = Map.of();
    private JsonNode access = tools.jackson.databind.node.MissingNode.getInstance();
    private JsonNode clients = tools.jackson.databind.node.MissingNode.getInstance();
    private JsonNode users = tools.jackson.databind.node.MissingNode.getInstance();
    private JsonNode upstreams = tools.jackson.databind.node.MissingNode.getInstance();
    private JsonNode scopes = tools.jackson.databind.node.MissingNode.getInstance();
    private JsonNode downstreams = tools.jackson.databind.node.MissingNode.getInstance();

    /** Where a default given in code ({@code GatehouseSettings}) comes from, in error messages. */
    public static final String CODE_DEFAULT = "code (GatehouseSettings)";

    /** Builds the layers. {@code configFile} and {@code envFile} may be absent; flags hold only what was given. */
    public static Settings load(Optional<Path> configFile, Optional<Path> envFile, Map<String, String> environment,
                                Map<String, String> flags) {
        return load(Map.of(), configFile, envFile, environment, flags);
    }

    /** The same over defaults given in code, which every other layer overrides (only the built-in defaults are lower). */
    public static Settings load(Map<String, String> codeDefaults, Optional<Path> configFile, Optional<Path> envFile,
                                Map<String, String> environment, Map<String, String> flags) {
        Settings settings = new Settings();
        settings.environment = Map.copyOf(environment);
        codeDefaults.forEach((key, value) -> settings.put(key, value, CODE_DEFAULT));
        configFile.ifPresent(settings::readConfigFile);
        envFile.ifPresent(settings::readEnvFile);
        environment.forEach((name, value) -> keyOfEnv(name).ifPresent(key -> settings.put(key, value, "environment variable " + name)));
        flags.forEach((key, value) -> settings.put(key, value, "--" + key));
        return settings;
    }

    /** Settings that no longer exist, with what replaced them: refused with that advice rather than ignored. */
    static final Map<String, String> REPLACED = Map.of("role-claims", "roles-claim, which names one claim (path) only: "
            + "roles are read from the one claim the issuer defines, never from several");

    public void put(String key, String value, String source) {
        if (REPLACED.containsKey(key)) {
            throw new ConfigException("The setting '" + key + "' (from " + source + ") was replaced by " + REPLACED.get(key) + ".");
        }
        if (!ConfigKeys.isKnown(key)) {
            throw new ConfigException("Unknown setting '" + key + "' (from " + source + "). Known settings: "
                    + String.join(", ", ConfigKeys.names()));
        }
        values.put(key, new Value(value, source));
    }

    public Optional<Value> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** The process environment, for settings that name a variable (client secrets). */
    public Map<String, String> environment() {
        return environment;
    }

    /** The config file's {@code users:} section (people who can log in), or a missing node. */
    public JsonNode usersSection() {
        return users;
    }

    /** The config file's {@code clients:} section (pre-registered OAuth clients), or a missing node. */
    public JsonNode clientsSection() {
        return clients;
    }

    /** The config file's {@code upstreams:} section (the MCP servers a gateway guards), or a missing node. */
    public JsonNode upstreamsSection() {
        return upstreams;
    }

    /** The config file's {@code downstreams:} section (APIs tools call as the user), or a missing node. */
    public JsonNode downstreamsSection() {
        return downstreams;
    }

    /** The config file's {@code scopes:} section (what each scope allows, for the consent page), or a missing node. */
    public JsonNode scopesSection() {
        return scopes;
    }

    /** The config file's {@code access:} section (the access policy), or a missing node. */
    public JsonNode accessSection() {
        return access;
    }

    private void readConfigFile(Path file) {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException("Cannot read the config file " + file + ": " + e.getMessage());
        } catch (JacksonException e) {
            throw new ConfigException("The config file " + file + " is not valid YAML: " + e.getOriginalMessage());
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            return;
        }
        if (!root.isObject()) {
            throw new ConfigException("The config file " + file + " must be a mapping of setting: value");
        }
        for (var entry : root.properties()) {
            JsonNode value = entry.getValue();
            if (entry.getKey().equals("access")) {
                access = value;
                continue;
            }
            if (entry.getKey().equals("clients")) {
                clients = value;
                continue;
            }
            if (entry.getKey().equals("users")) {
                users = value;
                continue;
            }
            if (entry.getKey().equals("scopes")) {
                scopes = value;
                continue;
            }
            if (entry.getKey().equals("login") && value.isObject()) {
                readLoginSection(value, file);
                continue;
            }
            if (entry.getKey().equals("upstreams")) {
                upstreams = value;
                continue;
            }
            if (entry.getKey().equals("downstreams")) {
                downstreams = value;
                continue;
            }
            put(entry.getKey(), text(value), "config file " + file);
        }
    }

    /**
     * The config file's {@code login:} section: its keys are the {@code login-*} settings without the prefix
     * ({@code login: {issuer: URL}} is {@code login-issuer: URL}).
     */
    private void readLoginSection(JsonNode login, Path file) {
        for (var entry : login.properties()) {
            String key = "login-" + entry.getKey();
            if (!ConfigKeys.isKnown(key)) {
                throw new ConfigException("Unknown key login." + entry.getKey() + " in the config file " + file + "; known: "
                        + ConfigKeys.names().stream().filter(n -> n.startsWith("login-")).map(n -> n.substring(6)).toList());
            }
            put(key, text(entry.getValue()), "config file " + file + " (login." + entry.getKey() + ")");
        }
    }

    private static String text(JsonNode value) {
        return value.isArray() ? String.join(",", value.valueStream().map(v -> v.asString("")).toList()) : value.asString("");
    }

    private void readEnvFile(Path file) {
        List<String> lines;
        Map<String, Value> tutorial = new LinkedHashMap<>();
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new ConfigException("Cannot read the env file " + file + ": " + e.getMessage());
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring(7).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("Line " + (i + 1) + " of the env file " + file + " is not NAME=value");
            }
            String name = line.substring(0, eq).strip();
            String value = unquote(line.substring(eq + 1).strip());
            String where = "env file " + file + " line " + (i + 1);
            if (TUTORIAL_VARIABLES.contains(name)) {
                tutorial.put(name, new Value(value, where));
                continue;
            }
            Optional<String> key = keyOfEnv(name);
            if (key.isEmpty()) {
                throw new ConfigException("Unknown variable " + name + " in " + where
                        + "; Gatehouse variables start with GATEHOUSE_ (e.g. GATEHOUSE_PORT), or are the tutorial's "
                        + TUTORIAL_VARIABLES);
            }
            put(key.get(), value, where);
        }
        applyTutorialVariables(tutorial);
    }

    /**
     * The tutorial's step 10 variables: Keycloak's URL and realm (or the issuer itself), the MCP server's base URL
     * and the audience. They mean "Gatehouse is a resource server for that Keycloak".
     */
    private void applyTutorialVariables(Map<String, Value> tutorial) {
        if (tutorial.isEmpty()) {
            return;
        }
        Value issuer = tutorial.get("JWT_ISSUER");
        if (issuer == null && tutorial.containsKey("KEYCLOAK_URL")) {
            Value url = tutorial.get("KEYCLOAK_URL");
            String realm = Optional.ofNullable(tutorial.get("KEYCLOAK_REALM")).map(Value::text).orElse("mcp-realm");
            issuer = new Value(url.text().replaceAll("/+$", "") + "/realms/" + realm, url.source());
        }
        if (issuer != null) {
            if (!values.containsKey("auth") || values.get("auth").source().equals(CODE_DEFAULT)) {
                values.put("auth", new Value("external", issuer.source()));
            }
            put("issuer", issuer.text(), issuer.source());
        }
        Optional.ofNullable(tutorial.get("JWT_AUDIENCE")).ifPresent(v -> put("audience", v.text(), v.source()));
        Optional.ofNullable(tutorial.get("MCP_SERVER_URL")).ifPresent(v -> put("public-url", v.text(), v.source()));
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    /** {@code GATEHOUSE_PUBLIC_URL} → {@code public-url} (each key's own {@link ConfigKeys.Key#environmentVariable}); other variables are not Gatehouse's. */
    static Optional<String> keyOfEnv(String name) {
        if (!name.startsWith("GATEHOUSE_")) {
            return Optional.empty();
        }
        Optional<String> key = ConfigKeys.all().stream().filter(k -> k.environmentVariable().equals(name)).map(ConfigKeys.Key::name).findFirst();
        String replaced = name.substring("GATEHOUSE_".length()).toLowerCase(Locale.ROOT).replace('_', '-');
        return key.or(() -> REPLACED.containsKey(replaced) ? Optional.of(replaced) : Optional.empty());
    }
}
