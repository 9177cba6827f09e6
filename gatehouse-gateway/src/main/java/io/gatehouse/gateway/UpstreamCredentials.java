package io.gatehouse.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How Gatehouse authenticates itself to an HTTP upstream. These are Gatehouse's own credentials for the upstream:
 * a client's {@code Authorization} header, token or cookie is never forwarded (the MCP specification forbids token
 * passthrough), whatever is configured here.
 */
public sealed interface UpstreamCredentials {

    /** No credentials. */
    record None() implements UpstreamCredentials {
    }

    /**
     * A static header (typically {@code Authorization: Bearer …}) whose value is read from an environment variable
     * or a file when a connection is made, so the secret is never in the configuration file itself.
     *
     * @param header the header's name
     * @param value  where its value comes from
     * @param prefix text put before the secret, such as {@code "Bearer "}; empty for none
     */
    record StaticHeader(String header, SecretSource value, String prefix) implements UpstreamCredentials {
        private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

        public StaticHeader {
            if (header == null || !HEADER_NAME.matcher(header).matches()) {
                throw new UpstreamConfigException("credentials: header '" + header + "' is not a valid header name");
            }
            if (value == null) {
                throw new UpstreamConfigException("credentials: value-env or value-file is required");
            }
            prefix = prefix == null ? "" : prefix;
        }

        /** The header's value now: the prefix and the secret, checked to be one line. */
        public String headerValue(Map<String, String> environment) {
            String secret = value.read(environment).strip();
            String full = prefix + secret;
            if (secret.isEmpty() || full.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new UpstreamConfigException("credentials: the secret from " + value.describe()
                        + " is empty or not one line of text");
            }
            return full;
        }
    }

    /**
     * An OAuth 2.0 client-credentials grant (RFC 6749 §4.4): Gatehouse obtains an access token for itself from
     * {@code tokenEndpoint} (client_secret_basic), sends it as {@code Authorization: Bearer}, and gets a new one
     * shortly before it expires or after the upstream answers 401.
     *
     * @param tokenEndpoint the authorization server's token endpoint: https, or http on a loopback address
     * @param clientId      Gatehouse's client id there
     * @param clientSecret  where its client secret comes from
     * @param scope         the scope to ask for; empty for none
     * @param resource      the RFC 8707 resource indicator to ask for (usually the upstream's URL), if any
     */
    record ClientCredentials(java.net.URI tokenEndpoint, String clientId, SecretSource clientSecret, String scope,
                             java.util.Optional<java.net.URI> resource) implements UpstreamCredentials {
        public ClientCredentials {
            String scheme = tokenEndpoint == null || tokenEndpoint.getScheme() == null ? ""
                    : tokenEndpoint.getScheme().toLowerCase(java.util.Locale.ROOT);
            String host = tokenEndpoint == null || tokenEndpoint.getHost() == null ? "" : tokenEndpoint.getHost();
            boolean loopback = host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]");
            if (!(scheme.equals("https") || scheme.equals("http") && loopback) || host.isEmpty()
                    || tokenEndpoint.getRawFragment() != null || tokenEndpoint.getRawUserInfo() != null) {
                throw new UpstreamConfigException("credentials: token-endpoint must be an https URL (http only on"
                        + " loopback), without user info or fragment, got '" + tokenEndpoint + "'");
            }
            if (clientId == null || clientId.isBlank()) {
                throw new UpstreamConfigException("credentials: client-id is required");
            }
            if (clientSecret == null) {
                throw new UpstreamConfigException("credentials: client-secret-env or client-secret-file is required");
            }
            scope = scope == null ? "" : scope.strip();
            resource = resource == null ? java.util.Optional.empty() : resource;
        }
    }

    /**
     * Token exchange (RFC 8693) for the caller: each request to the upstream carries {@code Authorization: Bearer}
     * with the current caller's token exchanged for the audience of the downstream named here (Gatehouse's
     * {@code downstreams:} section), obtained through the {@link io.gatehouse.mcp.context.DownstreamTokens} the relay
     * was given. The upstream verifies the user; the client's own token still never reaches it.
     *
     * @param downstream the name of the downstream whose audience the upstream expects
     */
    record TokenExchange(String downstream) implements UpstreamCredentials {
        public TokenExchange {
            if (downstream == null || !downstream.matches("[A-Za-z0-9_-]{1,64}")) {
                throw new UpstreamConfigException("is required with auth: token-exchange: the name of a downstreams: entry");
            }
        }
    }

    /** Where a secret comes from; {@link #describe()} names the source, never the secret. */
    sealed interface SecretSource {

        /** The secret's text. */
        String read(Map<String, String> environment);

        /** The source for error messages, e.g. {@code env UPSTREAM_TOKEN}. */
        String describe();
    }

    /** @param name the environment variable holding the secret */
    record FromEnv(String name) implements SecretSource {
        @Override
        public String read(Map<String, String> environment) {
            String value = environment.get(name);
            if (value == null) {
                throw new UpstreamConfigException("credentials: environment variable " + name + " is not set");
            }
            return value;
        }

        @Override
        public String describe() {
            return "env " + name;
        }
    }

    /** @param path the file holding the secret (one line; surrounding whitespace is dropped) */
    record FromFile(Path path) implements SecretSource {
        @Override
        public String read(Map<String, String> environment) {
            try {
                return Files.readString(path, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UpstreamConfigException("credentials: cannot read " + path + ": " + e.getClass().getSimpleName());
            }
        }

        @Override
        public String describe() {
            return "file " + path;
        }
    }
}
