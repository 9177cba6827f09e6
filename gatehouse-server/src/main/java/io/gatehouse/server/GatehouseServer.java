package io.gatehouse.server;

import io.gatehouse.mcp.prompts.Prompt;
import io.gatehouse.mcp.resources.Resource;
import io.gatehouse.mcp.resources.ResourceTemplate;
import io.gatehouse.mcp.tools.Tool;
import io.gatehouse.server.internal.Gatehouse;
import io.gatehouse.server.internal.GracefulShutdown;
import io.gatehouse.server.internal.config.ConfigException;
import io.gatehouse.server.internal.config.GatehouseConfig;
import io.gatehouse.server.internal.config.ServeOptions;
import io.gatehouse.server.internal.config.Settings;
import java.io.PrintStream;
import java.net.BindException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Your own MCP server with Gatehouse's authorization: your tools, prompts and resources over Streamable HTTP, behind
 * the OAuth 2.1 resource server (tokens from Gatehouse's embedded authorization server, an external provider such as
 * Keycloak, or local keys), configured by the same settings as {@code gatehouse serve}.
 * <pre>{@code
 * public static void main(String[] argv) throws Exception {
 *     System.exit(GatehouseServer.builder()
 *             .name("word-count", "1.0")
 *             .tool(Tool.builder("word_count").description("Count the words of a text")
 *                     .requiredScopes("mcp:tools:words")
 *                     .handler(WordCountArgs.class, (args, ctx) ->
 *                             ToolResult.text(ctx.caller().username() + ": " + args.text().split("\\s+").length)))
 *             .args(argv)          // --port 9100 --auth external --issuer ... (every flag of gatehouse serve)
 *             .execute());         // serves until Ctrl+C or SIGTERM; --help, --version; a bad setting is one line
 * }
 * }</pre>
 * Authorization is declared on each feature ({@code requiredScopes}, {@code requiredRoles}); the {@code access:}
 * section of the config file applies on top. Only what the builder registers is served: no tutorial tools.
 * {@link #start} binds and returns, {@link #close} stops gracefully; a server is started once.
 */
public final class GatehouseServer implements AutoCloseable {

    private static final int EXIT_OK = 0;
    private static final int EXIT_USAGE = 2;
    private static final int EXIT_UNAVAILABLE = 69;

    private final GatehouseConfig config;
    private final Gatehouse.Features features;
    private Gatehouse running;
    private boolean closed;

    private GatehouseServer(GatehouseConfig config, Gatehouse.Features features) {
        this.config = config;
        this.features = features;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds and serves; returns once requests are served.
     *
     * @throws InvalidSettingException when a setting fails at start (a key file that cannot be read, a database
     *                                 that cannot be opened, configured clients and users that clash)
     * @throws java.io.IOException     when the port cannot be bound
     */
    public synchronized void start() throws Exception {
        if (running != null || closed) {
            throw new IllegalStateException("A GatehouseServer is started once");
        }
        try {
            running = Gatehouse.start(config, features);
        } catch (ConfigException e) {
            throw new InvalidSettingException(e.getMessage());
        }
    }

    /**
     * For {@code main}: {@link #start}, then serves until the JVM is asked to stop (Ctrl+C, SIGTERM), stops gracefully
     * (the last log lines written) and returns; it also returns when {@link #close} is called.
     */
    public void run() throws Exception {
        start();
        GracefulShutdown.runUntilStopped(started(), this, System.err::println);
    }

    /** The port bound (useful with port 0). */
    public int port() {
        return started().port();
    }

    /** The canonical MCP URL clients use, e.g. {@code http://localhost:9000/mcp}. */
    public URI mcpUrl() {
        return started().mcpUrl();
    }

    /** Waits until the server has stopped. */
    public void join() throws InterruptedException {
        started().join();
    }

    /** Stops gracefully: no new requests, open ones finish. Does nothing when already closed or never started. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (running != null) {
            try {
                running.close();
            } catch (Exception e) {
                throw new IllegalStateException("Gatehouse did not stop cleanly: " + e.getMessage(), e);
            }
        }
    }

    private synchronized Gatehouse started() {
        if (running == null) {
            throw new IllegalStateException("The GatehouseServer is not started: call start() first");
        }
        return running;
    }

    /**
     * Builds a {@link GatehouseServer}: what it serves (tools, prompts, resources, resource templates) and its
     * settings, given in code ({@link #settings}) and overridden by the command line and environment ({@link #args}).
     */
    public static final class Builder {

        private String name = "gatehouse-server";
        private String version = "0";
        private Optional<String> instructions = Optional.empty();
        private final List<Tool> tools = new ArrayList<>();
        private final List<Prompt> prompts = new ArrayList<>();
        private final List<Resource> resources = new ArrayList<>();
        private final List<ResourceTemplate> templates = new ArrayList<>();
        private final List<String> stepUpScopes = new ArrayList<>();
        private GatehouseSettings defaults = GatehouseSettings.builder().build();
        private String[] args = new String[0];
        private Map<String, String> environment = System.getenv();

        private Builder() {
        }

        /** The {@code serverInfo} clients see in {@code initialize} (default "gatehouse-server", "0"). */
        public Builder name(String name, String version) {
            this.name = Objects.requireNonNull(name, "name");
            this.version = Objects.requireNonNull(version, "version");
            return this;
        }

        /** The {@code instructions} clients see in {@code initialize}: how to use this server's features. */
        public Builder instructions(String text) {
            this.instructions = Optional.of(text);
            return this;
        }

        public Builder tool(Tool tool) {
            tools.add(Objects.requireNonNull(tool, "tool"));
            return this;
        }

        public Builder prompt(Prompt prompt) {
            prompts.add(Objects.requireNonNull(prompt, "prompt"));
            return this;
        }

        public Builder resource(Resource resource) {
            resources.add(Objects.requireNonNull(resource, "resource"));
            return this;
        }

        public Builder resourceTemplate(ResourceTemplate template) {
            templates.add(Objects.requireNonNull(template, "template"));
            return this;
        }

        /**
         * Scopes a handler asks for only at run time ({@code ctx.caller().requireScope("mcp:tools:export")}), beyond
         * those its features declare: listed in {@code scopes_supported} and grantable by the embedded authorization
         * server like declared ones, so a client refused with a 403 naming one can step up and get it.
         */
        public Builder stepUpScopes(String... scopes) {
            for (String scope : scopes) {
                stepUpScopes.add(Objects.requireNonNull(scope, "scope"));
            }
            return this;
        }

        /** Settings given in code: defaults that {@link #args} (flags, environment, env and config files) override. */
        public Builder settings(GatehouseSettings defaults) {
            this.defaults = Objects.requireNonNull(defaults, "defaults");
            return this;
        }

        /**
         * The command line: every flag of {@code gatehouse serve} ({@code --port}, {@code --auth}, {@code --issuer},
         * {@code --config FILE}, {@code --env FILE}, ...), with {@code GATEHOUSE_*} environment variables. Precedence:
         * flag &gt; environment &gt; env file &gt; config file &gt; {@link #settings} &gt; built-in default.
         */
        public Builder args(String... argv) {
            this.args = argv.clone();
            return this;
        }

        /** The environment to read {@code GATEHOUSE_*} variables from instead of the process's (for tests). */
        Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(environment);
            return this;
        }

        /**
         * For {@code main}, as a command: {@code System.exit(GatehouseServer.builder()...args(argv).execute())}.
         * {@code --help} prints the flags and {@code --version} the server's name and version (status 0); a bad setting
         * prints its one-line message to standard error (status 2, no stack trace); a port that cannot be bound says so
         * (status 69); otherwise it {@link GatehouseServer#run runs} until Ctrl+C or SIGTERM and returns 0.
         *
         * @return the process exit status
         */
        public int execute() throws Exception {
            PrintStream out = System.out;
            PrintStream err = System.err;
            List<String> argv = List.of(args);
            if (argv.contains("--help") || argv.contains("-h")) {
                CommandLine usage = new CommandLine(serveOptions()).setCommandName(name);
                usage.getCommandSpec().usageMessage().description(name + " " + version + ": an MCP server behind Gatehouse's "
                        + "authorization. Every flag can also be set in the config file (--config), an env file (--env) or as "
                        + "an environment variable (GATEHOUSE_PORT=9000). Precedence: flag > environment > env file > "
                        + "config file > settings in code > default.");
                usage.usage(out);
                return EXIT_OK;
            }
            if (argv.contains("--version") || argv.contains("-V")) {
                out.println(name + " " + version);
                return EXIT_OK;
            }
            try (GatehouseServer server = build()) {
                server.run();
                return EXIT_OK;
            } catch (InvalidSettingException e) {
                err.println(name + ": " + e.getMessage());
                return EXIT_USAGE;
            } catch (java.io.IOException e) {
                if (e instanceof BindException || e.getCause() instanceof BindException) {
                    err.println(name + ": cannot bind the port: " + e.getMessage()
                            + ". Is another server using it? Choose one with --port.");
                    return EXIT_UNAVAILABLE;
                }
                throw e;
            }
        }

        /**
         * Picocli's message, except that arguments it could not match are named without their values: a mistyped
         * flag may carry a secret ({@code --introspection-secret=...}), and this message ends up in logs.
         */
        private static String withoutValues(CommandLine.ParameterException e) {
            if (!(e instanceof CommandLine.UnmatchedArgumentException unmatched)) {
                return e.getMessage();
            }
            List<String> shown = unmatched.getUnmatched().stream()
                    .map(arg -> !arg.startsWith("-") ? "a value (not shown)"
                            : "'" + (arg.contains("=") ? arg.substring(0, arg.indexOf('=')) + "=...'" : arg + "'"))
                    .toList();
            return "unknown " + (shown.size() == 1 ? "argument " : "arguments ") + String.join(", ", shown);
        }

        private static CommandSpec serveOptions() {
            CommandSpec spec = CommandSpec.create();
            ServeOptions.addTo(spec);
            return spec;
        }

        /**
         * Reads and checks every setting; nothing binds yet.
         *
         * @throws InvalidSettingException naming the setting, where its value came from and what is accepted
         */
        public GatehouseServer build() {
            CommandLine commandLine = new CommandLine(serveOptions());
            try {
                commandLine.parseArgs(args);
            } catch (CommandLine.ParameterException e) {
                List<String> suggestions = e instanceof CommandLine.UnmatchedArgumentException unmatched
                        ? unmatched.getSuggestions() : List.of();
                throw new InvalidSettingException("Invalid arguments: " + withoutValues(e) + (suggestions.isEmpty()
                        ? ". The flags are those of 'gatehouse serve': " + String.join(" ", commandLine.getCommandSpec().optionsMap().keySet())
                        : ". Did you mean " + String.join(" or ", suggestions) + "?"));
            }
            GatehouseConfig config;
            try {
                Settings settings = ServeOptions.settings(commandLine.getCommandSpec(), environment, defaults.values());
                config = GatehouseConfig.from(settings);
                if (!config.fixtures().isEmpty()) {
                    throw new InvalidSettingException("Setting 'fixtures' (from " + settings.get("fixtures").orElseThrow().source()
                            + ") is for 'gatehouse serve' only: a GatehouseServer serves the tools, prompts and resources its "
                            + "builder registers.");
                }
                if (!config.upstreams().isEmpty() && !(tools.isEmpty() && prompts.isEmpty() && resources.isEmpty()
                        && templates.isEmpty())) {
                    throw new InvalidSettingException("Upstreams are configured (" + settings.get("upstream")
                            .or(() -> settings.get("upstream-command")).map(Settings.Value::source).orElse("the config file's "
                                    + "upstreams: section") + "), but this server registers its own tools, prompts or "
                            + "resources: a server serves either its own features or its upstreams'.");
                }
            } catch (ConfigException e) {
                throw new InvalidSettingException(e.getMessage());
            }
            List<Tool> tools = List.copyOf(this.tools);
            List<Prompt> prompts = List.copyOf(this.prompts);
            List<Resource> resources = List.copyOf(this.resources);
            List<ResourceTemplate> templates = List.copyOf(this.templates);
            List<String> stepUpScopes = List.copyOf(this.stepUpScopes);
            Optional<String> instructions = this.instructions;
            return new GatehouseServer(config, new Gatehouse.Features(name, version, (builder, clock) -> {
                instructions.ifPresent(builder::instructions);
                tools.forEach(builder::tool);
                prompts.forEach(builder::prompt);
                resources.forEach(builder::resource);
                templates.forEach(builder::resourceTemplate);
                builder.stepUpScopes(stepUpScopes);
            }));
        }
    }
}
