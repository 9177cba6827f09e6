package io.gatehouse.server.internal.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every setting Gatehouse reads, with its default and meaning; the one list the docs and errors come from. */
public final class ConfigKeys {

    /** A documented setting. {@code defaultValue} is empty when the setting is optional. */
    public record Key(String name, String defaultValue, String description) {
    }

    private static final Map<String, Key> KEYS = new LinkedHashMap<>();

    static {
        add("host", "127.0.0.1", "Address to bind. Loopback by default; anything else exposes the server to the network.");
        add("port", "9000", "Port to bind (0 picks a free one).");
        add("public-url", "", "Base URL clients use when Gatehouse sits behind a proxy (e.g. https://mcp.example.com). "
                + "Defaults to http://localhost:<port>.");
        add("auth", "embedded", "Who issues access tokens: embedded (Gatehouse's own authorization server, the default), "
                + "external (an OAuth 2.1 / OIDC provider such as Keycloak), local-keys (tokens from 'gatehouse token mint'), "
                + "none (no authentication; loopback only).");
        add("demo-users", "true", "embedded: create the tutorial's demo users alice, bob, admin and guest.");
        add("demo-password", "", "embedded: the demo users' password (GATEHOUSE_DEMO_PASSWORD). Default: generated at first "
                + "start, printed once and kept in <data-dir>/demo-password.");
        add("allow-demo-users-on-network", "false", "embedded: allow demo users when bound to a non-loopback address or published at a non-loopback public-url.");
        add("access-token-ttl", "15m", "embedded: lifetime of access tokens.");
        add("refresh-token-ttl", "30d", "embedded: lifetime of refresh tokens.");
        add("refresh-token-max-lifetime", "90d", "embedded: a user's refresh tokens stop working this long after they "
                + "logged in, however often they were rotated; then the user logs in again.");
        add("registration", "open", "embedded: dynamic client registration (RFC 7591): open (anyone may register), token "
                + "(registration needs registration-token as an initial access token) or off.");
        add("client-metadata-documents", "on", "embedded: accept an https client_id naming a client ID metadata document, "
                + "fetched from that URL (on or off). Off: such a client_id is an unknown client, and the metadata does not "
                + "advertise client_id_metadata_document_supported.");
        add("client-metadata-on-loopback", "false", "embedded: also fetch client ID metadata documents from loopback over "
                + "http (local development only; never on a shared machine).");
        add("database-url", "", "embedded: JDBC URL of the authorization server's database, e.g. "
                + "jdbc:postgresql://db:5432/gatehouse for several nodes. Default: H2 in <data-dir>/as.");
        add("database-user", "", "embedded: database user.");
        add("database-password", "", "embedded: database password (prefer GATEHOUSE_DATABASE_PASSWORD). Never logged.");
        add("key-encryption-key-file", "", "embedded: file holding the key that encrypts the signing keys' private halves in the "
                + "database (32 random bytes in base64, e.g. from 'openssl rand -base64 32'). Default: <data-dir>/kek, generated "
                + "(mode 600) at first start. Every node sharing one database needs the same key; a node with another one refuses "
                + "to start rather than replace the keys.");
        add("key-encryption-key", "", "embedded: the key-encryption key itself, instead of a file (prefer "
                + "GATEHOUSE_KEY_ENCRYPTION_KEY). Never logged.");
        add("signing-key-lifetime", "30d", "embedded: a new signing key is made when the current one is this old; old keys "
                + "stay published until their tokens expire.");
        add("registration-token", "", "embedded: the initial access token (Bearer) registration needs with registration "
                + "token; setting it alone means registration token. Never logged.");
        add("issuer", "", "The token issuer (iss), exactly. Required for external; for local-keys defaults to the public base URL.");
        add("bridge", "false", "external: serve the issuer's metadata at this origin's /.well-known/oauth-authorization-server "
                + "and relay POST /oauth/register to it, both with CORS, for clients that cannot use the issuer directly "
                + "(no RFC 8414 document, no CORS on registration). Authorization and tokens stay at the issuer. The document "
                + "served keeps the issuer's 'issuer', which is not this origin: strict RFC 8414 clients refuse it, so it is "
                + "served only when this is true.");
        add("jwks-url", "", "external: the issuer's JWKS URL. Default: found through the issuer's discovery document.");
        add("jwks-file", "", "local-keys: JWK set (JSON) of the public keys. Default: <data-dir>/keys/jwks.json, "
                + "generated with a new key pair at first start.");
        add("public-key", "", "local-keys: a PEM public key instead of --jwks-file.");
        add("audience", "", "Comma-separated audiences accepted in aud (RS-08). Default: the canonical MCP URL.");
        add("introspection-url", "", "external: verify tokens by RFC 7662 introspection at this URL instead of as JWTs.");
        add("introspection-client-id", "", "Client id for the introspection endpoint (client_secret_basic).");
        add("introspection-client-secret", "", "Client secret for the introspection endpoint. Never logged.");
        add("scope-claim", "scope", "The one claim that holds the token's scopes (space-separated or an array), as the issuer "
                + "defines it, e.g. scp for some providers. No other claim is read for scopes.");
        add("roles-claim", "", "The one claim (dotted path) that holds roles, as the issuer defines it, e.g. "
                + "resource_access.my-client.roles. Default: roles (embedded, local-keys), realm_access.roles (external: Keycloak). "
                + "No other claim is read for roles.");
        add("accepted-token-types", "at+jwt,Bearer", "Which marks make a token an access token: at+jwt (JWT header typ, "
                + "RFC 9068), Bearer (Keycloak's typ claim; an introspection token_type), unmarked (no mark at all: only for a "
                + "provider whose ID tokens never carry this server's audience). ID, refresh and logout tokens are always refused. "
                + "Embedded mode accepts its own at+jwt tokens only.");
        add("clock-skew", "60s", "Tolerance for exp and nbf.");
        add("max-token-bytes", "8192", "Longer bearer tokens are refused without parsing.");
        add("token-cache-size", "10000", "Verified tokens remembered (by hash, until exp); 0 verifies every request.");
        add("introspection-cache-time", "60s", "How long an introspection answer is remembered (by token hash, never past exp): "
                + "a token revoked at the provider is still accepted for up to this long. With token-cache-size 0 nothing is "
                + "remembered.");
        add("native-crypto", "true", "Verify RS* and ES* token signatures with the native AWS-LC provider where it loads "
                + "(Linux x86-64; about 2x faster for RS256, 8x for ES256); false uses only the JDK's providers.");
        add("jwks-cache-time", "5m", "How long a fetched JWKS is used before it is fetched again (in the background; the "
                + "keys held keep serving while the provider is unreachable).");
        add("jwks-refetch-interval", "1s", "Least time between two JWKS fetches for unknown key ids; requests with an unknown "
                + "key id share the next fetch (a key the provider rotated in is accepted within about this long), and a key id "
                + "that fetch did not have is refused for a minute without asking again.");
        add("jwks-fetch-timeout", "3s", "The longest a request waits for the provider's discovery document and JWKS; while the "
                + "provider is unreachable, requests that need its keys get 503 with Retry-After at once.");
        add("audit-log", "all", "Lines on the gatehouse.audit logger: all (every allowed and denied call) or denials "
                + "(denials and bad tokens only; allowed calls are still counted in the metrics).");
        add("log-format", "text", "How log lines are written: text (for people) or json (one JSON object per line, for log "
                + "shippers: timestamp, level, logger, thread, message, and the request_id and trace_id of the request being "
                + "served). Applies to appenders using Gatehouse's encoder (all of its default logging configuration's).");
        add("resource-name", "Gatehouse MCP server", "resource_name in the protected resource metadata.");
        add("resource-documentation", "", "resource_documentation URL in the protected resource metadata.");
        add("session-mode", "stateful", "stateful (Mcp-Session-Id, GET streams) or stateless (every POST stands alone).");
        add("upstream", "", "Gateway: the URL of a Streamable HTTP MCP server to guard; Gatehouse then serves its tools, prompts "
                + "and resources instead of its own, behind its authorization (the client's token never reaches it). Several "
                + "upstreams, with prefixes, credentials and environment, go in the config file's upstreams: section.");
        add("upstream-command", "", "Gateway: a stdio MCP server to guard, as one command line (\"npx -y pkg --flag\"; split "
                + "like a shell would, never run by one). Each client session gets its own child process, started with a clean "
                + "environment (PATH, HOME, locale; never GATEHOUSE_* or other secrets). Needs session-mode stateful.");
        add("upstream-timeout", "30s", "Gateway: how long a request to the upstream may take (each progress notification "
                + "restarts the wait, up to 10 times this); then the client gets an error and the upstream a cancellation.");
        add("upstream-cwd", "", "Gateway: the working directory of the upstream-command child. Default: Gatehouse's own.");
        add("fixtures", "", "Extra tool packs to register: 'conformance' adds the official conformance suite's fixtures.");
        add("data-dir", "gatehouse-data", "Directory for state kept between runs.");
        add("management-port", "", "Port of the management listener, which serves the detailed /health (version, sessions, "
                + "issuer, key source, signature provider) for operators; 0 picks a free one. Default: none, so no second port "
                + "is opened unless asked for (a fixed default would also collide between instances on one host); the public "
                + "/health says only whether the server is serving.");
        add("management-host", "127.0.0.1", "Address of the management listener. It has no authentication: keep it on loopback.");
        add("allowed-origins", "", "Comma-separated browser origins allowed besides the server's own (exact scheme://host:port).");
        add("allowed-hosts", "", "Comma-separated Host values allowed besides the server's own (host:port).");
        add("max-request-bytes", "4194304", "Largest request body accepted; larger ones get 413.");
        add("max-header-bytes", "16384", "Largest request header block accepted; larger ones get 431.");
        add("session-idle-timeout", "30m", "A session unused this long is ended (its id then gets 404).");
        add("max-sessions", "10000", "Sessions held at once in all; past it a new session is refused with 503 and Retry-After "
                + "until one ends or goes idle.");
        add("max-sessions-per-principal", "32", "Sessions one principal (issuer and subject) holds at once; opening one more ends "
                + "its least recently used session (whose id then gets 404, so its client starts a new one).");
        add("sse-keep-alive", "15s", "Interval of keep-alive comments on idle event streams.");
        add("sse-idle-timeout", "10m", "A GET event stream with no message this long is closed; clients reconnect.");
        add("idle-timeout", "2m", "A connection with no traffic this long is closed.");
        add("shutdown-drain", "0s", "On SIGTERM, how long to keep serving after /health/ready turned 503, so that a load "
                + "balancer stops sending requests before the listener closes: at least its check interval times its fall "
                + "count (2s with deploy/haproxy.cfg). Then Gatehouse stops accepting and lets requests in flight finish.");
        add("page-size", "50", "Items per page in tools/list, prompts/list and resources/list.");
    }

    private ConfigKeys() {
    }

    private static void add(String name, String defaultValue, String description) {
        KEYS.put(name, new Key(name, defaultValue, description));
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

    static Key key(String name) {
        return KEYS.get(name);
    }
}
