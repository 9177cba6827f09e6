package io.gatehouse.server.internal.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting Gatehouse reads, defined once: name, kind, default and meaning. From each definition come its flag
 * ({@code --name}, {@link ServeOptions}), its environment variable ({@code GATEHOUSE_NAME}) and config-file key
 * ({@code name:}, {@link Settings}), the check of its value's form ({@link GatehouseConfig}), {@code --help}, the masking
 * of secrets ({@code gatehouse config check}) and the README's settings table (kept complete by a test).
 */
public final class ConfigKeys {

    /** What form a setting's value has: checked for every value given, and shown as the flag's parameter. */
    public enum Kind {
        TEXT("TEXT"), NUMBER("N"), DURATION("DURATION"), SWITCH("true|false"), URL("URL"), FILE("FILE"), LIST("A,B"),
        CHOICE(""),
        /** A password, key or token: never printed, masked by {@code config check}; better from the environment. */
        SECRET("SECRET");

        private final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /**
     * A documented setting. {@code defaultValue} is empty when the setting is optional; {@code choices} lists the values
     * a {@link Kind#CHOICE} accepts (empty otherwise).
     */
    public record Key(String name, Kind kind, List<String> choices, String defaultValue, String description) {

        public Key {
            choices = List.copyOf(choices);
        }

        public boolean secret() {
            return kind == Kind.SECRET;
        }

        /**
         * The value as it may be printed (config check, error messages): a secret's as {@link #MASK}; any other's with
         * the credentials a URL can carry masked, the password of {@code user:password@} and the value of a query
         * parameter named like a password, secret, token or key (a JDBC URL's {@code password=}).
         */
        public String shown(String value) {
            if (secret()) {
                return MASK;
            }
            String masked = USERINFO_PASSWORD.matcher(value).replaceAll("$1" + MASK + "@");
            return SECRET_PARAMETER.matcher(masked).replaceAll("$1" + MASK);
        }

        /** The command-line flag: {@code --public-url}. */
        public String flag() {
            return "--" + name;
        }

        /** The environment variable (and env-file name): {@code GATEHOUSE_PUBLIC_URL}. */
        public String environmentVariable() {
            return "GATEHOUSE_" + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        }

        /** The flag's parameter in {@code --help}: {@code URL}, {@code stateful|stateless}, ... */
        public String label() {
            return kind == Kind.CHOICE ? String.join("|", choices) : kind.label;
        }
    }

    /** What is printed instead of a secret. */
    public static final String MASK = "********";

    /** {@code scheme://user:} followed by the password up to the {@code @} of a URL's authority. */
    private static final java.util.regex.Pattern USERINFO_PASSWORD = java.util.regex.Pattern.compile("(//[^/?#@:]*:)[^/?#@]*@");

    /** {@code ?name=} or {@code &name=} (or {@code ;name=}) of a parameter named like a secret, followed by its value. */
    private static final java.util.regex.Pattern SECRET_PARAMETER = java.util.regex.Pattern.compile(
            "([?&;][^=&;#]*(?:password|passwd|pwd|secret|token|key)[^=&;#]*=)[^&;#]*", java.util.regex.Pattern.CASE_INSENSITIVE);

    private static final Map<String, Key> KEYS = new LinkedHashMap<>();

    static {
        add("host", Kind.TEXT, "127.0.0.1", "Address to bind. Loopback by default; anything else exposes the server to the network.");
        add("port", Kind.NUMBER, "9000", "Port to bind (0 picks a free one).");
        add("public-url", Kind.URL, "", "Base URL clients use when Gatehouse sits behind a proxy (e.g. https://mcp.example.com). "
                + "Defaults to http://localhost:<port> (https with TLS).");
        add("tls-cert", Kind.FILE, "", "Serve HTTPS (HTTP/2 and HTTP/1.1) with this PEM certificate chain, the server's certificate first; "
                + "needs tls-key. The files are watched: a renewed certificate is served without a restart.");
        add("tls-key", Kind.FILE, "", "The PEM private key of tls-cert (PKCS#8, PKCS#1 or SEC1, unencrypted; keep the file readable only by "
                + "Gatehouse's user).");
        add("tls-keystore", Kind.FILE, "", "Serve HTTPS with the key and certificate chain in this PKCS#12 file instead of tls-cert/tls-key "
                + "(watched like them).");
        add("tls-keystore-password", Kind.SECRET, "", "The password of tls-keystore (prefer GATEHOUSE_TLS_KEYSTORE_PASSWORD). Never logged.");
        add("auth", choice("embedded", "external", "local-keys", "none"), "embedded", "Who issues access tokens: embedded (Gatehouse's own authorization server, the default), "
                + "external (an OAuth 2.1 / OIDC provider such as Keycloak), local-keys (tokens from 'gatehouse token mint'), "
                + "none (no authentication; loopback only).");
        add("demo-users", Kind.SWITCH, "true", "embedded: create the tutorial's demo users alice, bob, admin and guest.");
        add("demo-password", Kind.SECRET, "", "embedded: the demo users' password (GATEHOUSE_DEMO_PASSWORD). Default: generated at first "
                + "start, printed once and kept in <data-dir>/demo-password.");
        add("allow-demo-users-on-network", Kind.SWITCH, "false", "embedded: allow demo users when bound to a non-loopback address or published at a non-loopback public-url.");
        add("access-token-ttl", Kind.DURATION, "15m", "embedded: lifetime of access tokens.");
        add("refresh-token-ttl", Kind.DURATION, "30d", "embedded: lifetime of refresh tokens.");
        add("refresh-token-max-lifetime", Kind.DURATION, "90d", "embedded: a user's refresh tokens stop working this long after they "
                + "logged in, however often they were rotated; then the user logs in again.");
        add("token-exchange-lifetime", Kind.DURATION, "5m", "embedded: lifetime of a token issued by token exchange (RFC 8693) for a "
                + "downstream API, between 10s and 1h; never past the exchanged token's own expiry.");
        add("registration", choice("open", "token", "off"), "open", "embedded: dynamic client registration (RFC 7591): open (anyone may register), token "
                + "(registration needs registration-token as an initial access token) or off.");
        add("client-metadata-documents", Kind.SWITCH, "on", "embedded: accept an https client_id naming a client ID metadata document, "
                + "fetched from that URL (on or off). Off: such a client_id is an unknown client, and the metadata does not "
                + "advertise client_id_metadata_document_supported.");
        add("client-metadata-on-loopback", Kind.SWITCH, "false", "embedded: also fetch client ID metadata documents from loopback over "
                + "http (local development only; never on a shared machine).");
        add("database-url", Kind.TEXT, "", "embedded: JDBC URL of the authorization server's database, e.g. "
                + "jdbc:postgresql://db:5432/gatehouse for several nodes. Default: H2 in <data-dir>/as.");
        add("database-user", Kind.TEXT, "", "embedded: database user.");
        add("database-password", Kind.SECRET, "", "embedded: database password (prefer GATEHOUSE_DATABASE_PASSWORD). Never logged.");
        add("key-encryption-key-file", Kind.FILE, "", "embedded: file holding the key that encrypts the signing keys' private halves in the "
                + "database (32 random bytes in base64, e.g. from 'openssl rand -base64 32'). Default: <data-dir>/kek, generated "
                + "(mode 600) at first start. Every node sharing one database needs the same key; a node with another one refuses "
                + "to start rather than replace the keys.");
        add("key-encryption-key", Kind.SECRET, "", "embedded: the key-encryption key itself, instead of a file (prefer "
                + "GATEHOUSE_KEY_ENCRYPTION_KEY). Never logged.");
        add("signing-key-lifetime", Kind.DURATION, "30d", "embedded: a new signing key is made when the current one is this old; old keys "
                + "stay published until their tokens expire.");
        add("registration-token", Kind.SECRET, "", "embedded: the initial access token (Bearer) registration needs with registration "
                + "token; setting it alone means registration token. Never logged.");
        add("issuer", Kind.URL, "", "The token issuer (iss), exactly. Required for external; for local-keys defaults to the public base URL.");
        add("bridge", Kind.SWITCH, "false", "external: serve the issuer's metadata at this origin's /.well-known/oauth-authorization-server "
                + "and relay POST /oauth/register to it, both with CORS, for clients that cannot use the issuer directly "
                + "(no RFC 8414 document, no CORS on registration). Authorization and tokens stay at the issuer. The document "
                + "served keeps the issuer's 'issuer', which is not this origin: strict RFC 8414 clients refuse it, so it is "
                + "served only when this is true.");
        add("jwks-url", Kind.URL, "", "external: the issuer's JWKS URL. Default: found through the issuer's discovery document.");
        add("jwks-file", Kind.FILE, "", "local-keys: JWK set (JSON) of the public keys. Default: <data-dir>/keys/jwks.json, "
                + "generated with a new key pair at first start.");
        add("public-key", Kind.FILE, "", "local-keys: a PEM public key instead of --jwks-file.");
        add("audience", Kind.LIST, "", "Comma-separated audiences accepted in aud (RS-08). Default: the canonical MCP URL.");
        add("introspection-url", Kind.URL, "", "external: verify tokens by RFC 7662 introspection at this URL instead of as JWTs.");
        add("introspection-client-id", Kind.TEXT, "", "Client id for the introspection endpoint (client_secret_basic).");
        add("introspection-client-secret", Kind.SECRET, "", "Client secret for the introspection endpoint. Never logged.");
        add("scope-claim", Kind.TEXT, "scope", "The one claim that holds the token's scopes (space-separated or an array), as the issuer "
                + "defines it, e.g. scp for some providers. No other claim is read for scopes.");
        add("roles-claim", Kind.TEXT, "", "The one claim (dotted path) that holds roles, as the issuer defines it, e.g. "
                + "resource_access.my-client.roles. Default: roles (embedded, local-keys), realm_access.roles (external: Keycloak). "
                + "No other claim is read for roles.");
        add("accepted-token-types", Kind.LIST, "at+jwt,Bearer", "Which marks make a token an access token: at+jwt (JWT header typ, "
                + "RFC 9068), Bearer (Keycloak's typ claim; an introspection token_type), unmarked (no mark at all: only for a "
                + "provider whose ID tokens never carry this server's audience). ID, refresh and logout tokens are always refused. "
                + "Embedded mode accepts its own at+jwt tokens only.");
        add("clock-skew", Kind.DURATION, "60s", "Tolerance for exp and nbf.");
        add("max-token-bytes", Kind.NUMBER, "8192", "Longer bearer tokens are refused without parsing.");
        add("token-cache-size", Kind.NUMBER, "10000", "Verified tokens remembered (by hash, until exp); 0 verifies every request.");
        add("introspection-cache-time", Kind.DURATION, "60s", "How long an introspection answer is remembered (by token hash, never past exp): "
                + "a token revoked at the provider is still accepted for up to this long. With token-cache-size 0 nothing is "
                + "remembered.");
        add("native-crypto", Kind.SWITCH, "true", "Verify RS* and ES* token signatures with the native AWS-LC provider where it loads "
                + "(Linux x86-64; about 2x faster for RS256, 8x for ES256); false uses only the JDK's providers.");
        add("jwks-cache-time", Kind.DURATION, "5m", "How long a fetched JWKS is used before it is fetched again (in the background; the "
                + "keys held keep serving while the provider is unreachable).");
        add("jwks-refetch-interval", Kind.DURATION, "1s", "Least time between two JWKS fetches for unknown key ids; requests with an unknown "
                + "key id share the next fetch (a key the provider rotated in is accepted within about this long), and a key id "
                + "that fetch did not have is refused for a minute without asking again.");
        add("jwks-fetch-timeout", Kind.DURATION, "3s", "The longest a request waits for the provider's discovery document and JWKS; while the "
                + "provider is unreachable, requests that need its keys get 503 with Retry-After at once.");
        add("audit-log", choice("all", "denials"), "all", "Lines on the gatehouse.audit logger: all (every allowed and denied call) or denials "
                + "(denials and bad tokens only; allowed calls are still counted in the metrics).");
        add("log-format", choice("text", "json"), "text", "How log lines are written: text (for people) or json (one JSON object per line, for log "
                + "shippers: timestamp, level, logger, thread, message, and the request_id and trace_id of the request being "
                + "served). Applies to appenders using Gatehouse's encoder (all of its default logging configuration's).");
        add("resource-name", Kind.TEXT, "Gatehouse MCP server", "resource_name in the protected resource metadata.");
        add("resource-documentation", Kind.URL, "", "resource_documentation URL in the protected resource metadata.");
        add("session-mode", choice("stateful", "stateless"), "stateful", "stateful (Mcp-Session-Id, GET streams) or stateless (every POST stands alone).");
        add("upstream", Kind.URL, "", "Gateway: the URL of a Streamable HTTP MCP server to guard; Gatehouse then serves its tools, prompts "
                + "and resources instead of its own, behind its authorization (the client's token never reaches it). Several "
                + "upstreams, with prefixes, credentials and environment, go in the config file's upstreams: section.");
        add("upstream-command", Kind.TEXT, "", "Gateway: a stdio MCP server to guard, as one command line (\"npx -y pkg --flag\"; split "
                + "like a shell would, never run by one). Each client session gets its own child process, started with a clean "
                + "environment (PATH, HOME, locale; never GATEHOUSE_* or other secrets). Needs session-mode stateful.");
        add("upstream-timeout", Kind.DURATION, "30s", "Gateway: how long a request to the upstream may take (each progress notification "
                + "restarts the wait, up to 10 times this); then the client gets an error and the upstream a cancellation.");
        add("upstream-cwd", Kind.FILE, "", "Gateway: the working directory of the upstream-command child. Default: Gatehouse's own.");
        add("fixtures", Kind.LIST, "", "Extra tool packs to register: 'conformance' adds the official conformance suite's fixtures.");
        add("data-dir", Kind.FILE, "gatehouse-data", "Directory for state kept between runs.");
        add("management-port", Kind.NUMBER, "", "Port of the management listener, which serves the detailed /health (version, sessions, "
                + "issuer, key source, signature provider) and the Prometheus /metrics for operators; 0 picks a free one. Default: none, so no second port "
                + "is opened unless asked for (a fixed default would also collide between instances on one host); the public "
                + "/health says only whether the server is serving.");
        add("management-host", Kind.TEXT, "127.0.0.1", "Address of the management listener. It has no authentication: keep it on loopback.");
        add("trusted-proxies", Kind.LIST, "", "Comma-separated addresses or CIDR blocks of the load balancers or proxies in front "
                + "of Gatehouse (e.g. 10.0.0.0/8): for a request from one of them, the client's address is the nearest address "
                + "in X-Forwarded-For that is not one of them. It is what the per-address limits count (login throttle, "
                + "sign-ins started, registrations): behind a proxy without it, every client shares the proxy's address. "
                + "Default: none, X-Forwarded-For is ignored.");
        add("allowed-origins", Kind.LIST, "", "Comma-separated browser origins allowed besides the server's own (exact scheme://host:port).");
        add("allowed-hosts", Kind.LIST, "", "Comma-separated Host values allowed besides the server's own (host:port).");
        add("max-request-bytes", Kind.NUMBER, "4194304", "Largest request body accepted; larger ones get 413.");
        add("max-header-bytes", Kind.NUMBER, "16384", "Largest request header block accepted; larger ones get 431.");
        add("session-idle-timeout", Kind.DURATION, "30m", "A session unused this long is ended (its id then gets 404).");
        add("max-sessions", Kind.NUMBER, "10000", "Sessions held at once in all; past it a new session is refused with 503 and Retry-After "
                + "until one ends or goes idle.");
        add("max-sessions-per-principal", Kind.NUMBER, "32", "Sessions one principal (issuer and subject) holds at once; opening one more ends "
                + "its least recently used session (whose id then gets 404, so its client starts a new one).");
        add("sse-keep-alive", Kind.DURATION, "15s", "Interval of keep-alive comments on idle event streams.");
        add("sse-idle-timeout", Kind.DURATION, "10m", "A GET event stream with no message this long is closed; clients reconnect.");
        add("idle-timeout", Kind.DURATION, "2m", "A connection with no traffic this long is closed.");
        add("shutdown-drain", Kind.DURATION, "0s", "On SIGTERM, how long to keep serving after /health/ready turned 503, so that a load "
                + "balancer stops sending requests before the listener closes: at least its check interval times its fall "
                + "count (2s with deploy/haproxy.cfg). Then Gatehouse stops accepting and lets requests in flight finish.");
        add("page-size", Kind.NUMBER, "50", "Items per page in tools/list, prompts/list and resources/list.");
    }

    private ConfigKeys() {
    }

    private static void add(String name, Kind kind, String defaultValue, String description) {
        KEYS.put(name, new Key(name, kind, List.of(), defaultValue, description));
    }

    private static void add(String name, List<String> choices, String defaultValue, String description) {
        KEYS.put(name, new Key(name, Kind.CHOICE, choices, defaultValue, description));
    }

    private static List<String> choice(String... values) {
        return List.of(values);
    }

    public static boolean isKnown(String name) {
        return KEYS.containsKey(name);
    }

    public static List<String> names() {
        return List.copyOf(KEYS.keySet());
    }

    public static List<Key> all() {
        return List.copyOf(KEYS.values());
    }

    public static Key key(String name) {
        return KEYS.get(name);
    }
}
