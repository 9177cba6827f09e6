package io.gatehouse.server.internal.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The flags of {@code gatehouse serve}, defined once: {@code ServeCommand} mixes them in, and a library
 * {@code GatehouseServer} parses its {@code args} with them, so both accept the same flags with the same meaning.
 * Every flag is a setting of {@link ConfigKeys}; {@link #settings} layers them over the environment, the env file,
 * the config file and code-given defaults.
 */
public final class ServeOptions {

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to bind (default 127.0.0.1).")
    String host;
    @Option(names = "--port", paramLabel = "PORT", description = "Port to bind (default 9000; 0 picks a free port).")
    String port;
    @Option(names = "--public-url", paramLabel = "URL", description = "Base URL clients use when behind a proxy (default http://localhost:PORT, https with TLS).")
    String publicUrl;
    @Option(names = "--tls-cert", paramLabel = "FILE", description = "Serve HTTPS and HTTP/2 with this PEM certificate chain "
            + "(needs --tls-key); reloaded when the file changes.")
    String tlsCert;
    @Option(names = "--tls-key", paramLabel = "FILE", description = "The PEM private key of --tls-cert.")
    String tlsKey;
    @Option(names = "--tls-keystore", paramLabel = "FILE", description = "Serve HTTPS with a PKCS#12 keystore instead (password in "
            + "GATEHOUSE_TLS_KEYSTORE_PASSWORD).")
    String tlsKeystore;
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
    List<String> audiences;
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
    List<String> allowedOrigins;
    @Option(names = "--allowed-host", paramLabel = "HOST", description = "Extra allowed Host header (host:port); repeatable.")
    List<String> allowedHosts;
    @Option(names = "--upstream", paramLabel = "URL", description = "Guard this Streamable HTTP MCP server (a gateway): "
            + "serve its tools, prompts and resources behind Gatehouse's authorization instead of the built-in ones.")
    String upstream;
    @Option(names = "--upstream-command", paramLabel = "\"CMD ARGS\"", description = "Guard this stdio MCP server: Gatehouse "
            + "starts one child per client session, e.g. --upstream-command \"npx -y @modelcontextprotocol/server-everything\".")
    String upstreamCommand;
    @Option(names = "--log-format", paramLabel = "FORMAT", description = "text (default) or json: one JSON object per line, "
            + "for log shippers.")
    String logFormat;
    @Option(names = "--config", paramLabel = "FILE", description = "YAML config file with any of the settings.")
    Path configFile;
    @Option(names = "--env", paramLabel = "FILE", description = "Env file of GATEHOUSE_*=value lines.")
    Path envFile;

    /**
     * All layers: these flags over {@code environment} (its {@code GATEHOUSE_*} variables), the {@code --env} file,
     * the {@code --config} file, and {@code codeDefaults} (settings by key given in code; empty for {@code gatehouse serve}).
     */
    public Settings settings(Map<String, String> environment, Map<String, String> codeDefaults) {
        return Settings.load(codeDefaults, Optional.ofNullable(configFile), Optional.ofNullable(envFile), environment, flags());
    }

    /** The settings given as flags, by key. */
    Map<String, String> flags() {
        Map<String, String> flags = new LinkedHashMap<>();
        put(flags, "host", host);
        put(flags, "port", port);
        put(flags, "public-url", publicUrl);
        put(flags, "tls-cert", tlsCert);
        put(flags, "tls-key", tlsKey);
        put(flags, "tls-keystore", tlsKeystore);
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
        put(flags, "upstream", upstream);
        put(flags, "upstream-command", upstreamCommand);
        put(flags, "log-format", logFormat);
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
