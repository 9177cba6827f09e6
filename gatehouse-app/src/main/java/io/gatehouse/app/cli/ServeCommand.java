package io.gatehouse.app.cli;

import ch.qos.logback.classic.LoggerContext;
import io.gatehouse.app.Gatehouse;
import io.gatehouse.app.config.GatehouseConfig;
import io.gatehouse.app.config.Settings;
import java.net.BindException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gatehouse serve}: runs the MCP server until it is interrupted (Ctrl+C or SIGTERM stop it gracefully). */
@Command(name = "serve", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Run Gatehouse: an MCP server over Streamable HTTP at http://127.0.0.1:9000/mcp by default.",
                "Every option can also be set in the config file (--config, YAML: port: 9000), in an env file "
                        + "(--env, GATEHOUSE_PORT=9000) or as an environment variable (GATEHOUSE_PORT). "
                        + "Precedence: flag > environment > env file > config file > default."},
        footer = {"", "Examples:", "  gatehouse serve                            # MCP + OAuth on http://localhost:9000, demo users",
                "  gatehouse serve --auth none                # no authentication (loopback only)", "  gatehouse serve --port 9100 --session-mode stateless",
                "  gatehouse serve --fixtures conformance    # the official conformance suite's fixtures",
                "  gatehouse serve --auth local-keys          # then: gatehouse token mint --demo",
                "  gatehouse serve --auth external --issuer http://localhost:8080/realms/mcp"})
public final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to bind (default 127.0.0.1).")
    String host;
    @Option(names = "--port", paramLabel = "PORT", description = "Port to bind (default 9000; 0 picks a free port).")
    String port;
    @Option(names = "--public-url", paramLabel = "URL", description = "Base URL clients use when behind a proxy (default http://localhost:PORT).")
    String publicUrl;
    @Option(names = "--auth", paramLabel = "MODE", description = "Who issues tokens: embedded (Gatehouse's own authorization "
            + "server with login and consent pages; the default), external (Keycloak or any OAuth/OIDC provider), local-keys "
            + "(tokens from 'gatehouse token mint'), none (no authentication, loopback only).")
    String auth;
    @Option(names = "--issuer", paramLabel = "URL", description = "Token issuer (iss), exactly. Required with --auth external.")
    String issuer;
    @Option(names = "--jwks-url", paramLabel = "URL", description = "external: the issuer's JWKS (default: from its discovery document).")
    String jwksUrl;
    @Option(names = "--jwks-file", paramLabel = "FILE", description = "local-keys: public JWK set (default <data-dir>/keys/jwks.json, generated at first start).")
    String jwksFile;
    @Option(names = "--public-key", paramLabel = "FILE", description = "local-keys: a PEM public key instead of --jwks-file.")
    String publicKey;
    @Option(names = "--audience", paramLabel = "URL", description = "Accepted token audience; repeatable (default: the canonical MCP URL).")
    java.util.List<String> audiences;
    @Option(names = "--introspection-url", paramLabel = "URL", description = "external: verify tokens by RFC 7662 introspection here.")
    String introspectionUrl;
    @Option(names = "--introspection-client-id", paramLabel = "ID", description = "Client id for introspection.")
    String introspectionClientId;
    @Option(names = "--introspection-client-secret", paramLabel = "SECRET", description = "Client secret for introspection "
            + "(prefer GATEHOUSE_INTROSPECTION_CLIENT_SECRET: flags are visible to other local users).")
    String introspectionClientSecret;
    @Option(names = "--session-mode", paramLabel = "MODE", description = "stateful (default) or stateless.")
    String sessionMode;
    @Option(names = "--fixtures", paramLabel = "PACK", description = "Register a fixture pack: conformance.")
    String fixtures;
    @Option(names = "--data-dir", paramLabel = "DIR", description = "Directory for state kept between runs (default ./gatehouse-data).")
    String dataDir;
    @Option(names = "--allowed-origin", paramLabel = "ORIGIN", description = "Extra allowed browser origin (scheme://host:port); repeatable.")
    java.util.List<String> allowedOrigins;
    @Option(names = "--allowed-host", paramLabel = "HOST", description = "Extra allowed Host header (host:port); repeatable.")
    java.util.List<String> allowedHosts;
    @Option(names = "--config", paramLabel = "FILE", description = "YAML config file with any of the settings.")
    Path configFile;
    @Option(names = "--env", paramLabel = "FILE", description = "Env file of GATEHOUSE_*=value lines.")
    Path envFile;

    @Override
    public Integer call() throws Exception {
        GatehouseConfig config = GatehouseConfig.from(Settings.load(Optional.ofNullable(configFile),
                Optional.ofNullable(envFile), System.getenv(), flags()));
        Gatehouse gatehouse;
        try {
            gatehouse = Gatehouse.start(config);
        } catch (java.io.IOException e) {
            if (e.getCause() instanceof BindException || e instanceof BindException) {
                spec.commandLine().getErr().println("Cannot bind " + config.transport().host() + ":" + config.transport().port()
                        + ": " + e.getMessage() + ". Is another server using that port? Choose one with --port.");
                return ExitCodes.UNAVAILABLE;
            }
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                gatehouse.close();
            } catch (Exception e) {
                spec.commandLine().getErr().println("Error while stopping: " + e.getMessage());
            } finally {
                // the last lines (the buffered audit log included) are written before the JVM exits
                if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logging) {
                    logging.stop();
                }
                stopped.countDown();
            }
        }, "gatehouse-shutdown"));
        gatehouse.join();
        stopped.await();
        return ExitCodes.OK;
    }

    private Map<String, String> flags() {
        Map<String, String> flags = new LinkedHashMap<>();
        put(flags, "host", host);
        put(flags, "port", port);
        put(flags, "public-url", publicUrl);
        put(flags, "auth", auth);
        put(flags, "issuer", issuer);
        put(flags, "jwks-url", jwksUrl);
        put(flags, "jwks-file", jwksFile);
        put(flags, "public-key", publicKey);
        put(flags, "introspection-url", introspectionUrl);
        put(flags, "introspection-client-id", introspectionClientId);
        put(flags, "introspection-client-secret", introspectionClientSecret);
        if (audiences != null) {
            flags.put("audience", String.join(",", audiences));
        }
        put(flags, "session-mode", sessionMode);
        put(flags, "fixtures", fixtures);
        put(flags, "data-dir", dataDir);
        if (allowedOrigins != null) {
            flags.put("allowed-origins", String.join(",", allowedOrigins));
        }
        if (allowedHosts != null) {
            flags.put("allowed-hosts", String.join(",", allowedHosts));
        }
        return flags;
    }

    private static void put(Map<String, String> flags, String key, String value) {
        if (value != null) {
            flags.put(key, value);
        }
    }
}
