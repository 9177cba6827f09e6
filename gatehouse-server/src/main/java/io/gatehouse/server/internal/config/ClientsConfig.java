package io.gatehouse.server.internal.config;

import io.gatehouse.as.clients.ClientNames;
import io.gatehouse.as.clients.ClientOrigin;
import io.gatehouse.as.clients.RedirectUris;
import io.gatehouse.as.clients.RegisteredClient;
import io.gatehouse.as.clients.Secrets;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Pre-registered OAuth clients of the embedded authorization server, from the config file's {@code clients:}
 * section. A confidential client's secret comes from an environment variable named by {@code client-secret-env}
 * (never written in the file); it is kept only as a hash. These are the only clients (besides those registered
 * with the initial access token) that may use {@code client_credentials}, and only with the {@code scopes} listed
 * here; a resource server that calls the introspection endpoint is marked {@code introspection: true}. Token exchange
 * (RFC 8693) is only for confidential clients configured here with that grant and the downstream audiences they may
 * request ({@code token-exchange-audiences}, absolute URIs or names; none listed means none, never all).
 *
 * <pre>
 * clients:
 *   - client-id: my-ide
 *     name: My IDE
 *     redirect-uris: [http://127.0.0.1/callback]     # loopback: any port
 *     grant-types: [authorization_code, refresh_token]
 *     token-endpoint-auth-method: none                # or client_secret_basic / client_secret_post
 *     scopes: [mcp:read, mcp:tools]                   # default for user-facing clients: any ("*"), cut to the user's
 *   - client-id: nightly-report                       # a machine: it acts as itself, with exactly these scopes
 *     grant-types: [client_credentials]
 *     token-endpoint-auth-method: client_secret_basic
 *     client-secret-env: NIGHTLY_REPORT_SECRET
 *     scopes: [mcp:read]                              # required for client_credentials; [] means none
 *   - client-id: other-resource-server                # may call /oauth/introspect
 *     grant-types: []
 *     token-endpoint-auth-method: client_secret_basic
 *     client-secret-env: OTHER_RS_SECRET
 *     introspection: true
 *   - client-id: gatehouse-tools                      # swaps a user's token for one for a downstream API (RFC 8693)
 *     grant-types: [urn:ietf:params:oauth:grant-type:token-exchange]
 *     token-endpoint-auth-method: client_secret_basic
 *     client-secret-env: GATEHOUSE_TOOLS_SECRET
 *     token-exchange-audiences: [https://reports.example.com, ticket-system]
 * </pre>
 */
public final class ClientsConfig {

    private static final Set<String> KEYS = Set.of("client-id", "name", "redirect-uris", "grant-types",
            "token-endpoint-auth-method", "client-secret-env", "scopes", "introspection", "token-exchange-audiences");
    private static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    private static final Set<String> GRANT_TYPES = Set.of("authorization_code", "refresh_token", "client_credentials", TOKEN_EXCHANGE);
    /** An audience goes into every exchanged token's {@code aud}: printable ASCII without spaces, of a sane length. */
    private static final int MAX_AUDIENCE_LENGTH = 2000;
    /** The {@code client_id} columns of the database. */
    private static final int MAX_CLIENT_ID_LENGTH = 512;

    private ClientsConfig() {
    }

    public static List<RegisteredClient> parse(JsonNode section, Map<String, String> environment) {
        List<RegisteredClient> clients = new ArrayList<>();
        if (section == null || section.isMissingNode() || section.isNull()) {
            return clients;
        }
        if (!section.isArray()) {
            throw new ConfigException("The clients section of the config file must be a list");
        }
        Set<String> ids = new LinkedHashSet<>();
        int index = 0;
        for (JsonNode entry : section) {
            String where = "clients[" + index++ + "]";
            for (String key : entry.propertyNames()) {
                if (!KEYS.contains(key)) {
                    throw new ConfigException("Unknown key " + where + "." + key + "; known: " + KEYS);
                }
            }
            String id = entry.path("client-id").asString("");
            if (id.isBlank() || id.length() > MAX_CLIENT_ID_LENGTH || !id.chars().allMatch(c -> c > 0x20 && c < 0x7f) || !ids.add(id)) {
                throw new ConfigException(where + " needs a unique client-id of at most " + MAX_CLIENT_ID_LENGTH
                        + " printable ASCII characters");
            }
            List<String> uris = new ArrayList<>();
            entry.path("redirect-uris").forEach(uri -> uris.add(uri.asString("")));
            if (!uris.isEmpty()) {
                RedirectUris.listProblem(uris).ifPresent(problem -> {
                    throw new ConfigException(where + " (" + id + "): " + problem);
                });
            }
            List<URI> redirects = uris.stream().map(URI::create).toList();
            String method = entry.path("token-endpoint-auth-method").asString("none");
            if (!Set.of("none", "client_secret_basic", "client_secret_post").contains(method)) {
                throw new ConfigException(where + ".token-endpoint-auth-method must be none, client_secret_basic or client_secret_post");
            }
            Optional<String> secretHash = Optional.empty();
            if (!method.equals("none")) {
                String variable = entry.path("client-secret-env").asString("");
                String secret = environment.getOrDefault(variable, "");
                if (variable.isBlank() || secret.isBlank()) {
                    throw new ConfigException(where + " (" + id + ") is confidential: set client-secret-env to the name of an "
                            + "environment variable that holds its secret" + (variable.isBlank() ? "" : " (" + variable + " is not set)"));
                }
                secretHash = Optional.of(Secrets.hash(secret));
            }
            Set<String> grants = strings(entry.path("grant-types")).orElse(Set.of("authorization_code", "refresh_token"));
            if (!GRANT_TYPES.containsAll(grants)) {
                throw new ConfigException(where + " (" + id + ").grant-types may only contain " + GRANT_TYPES);
            }
            Optional<Set<String>> scopes = strings(entry.path("scopes"));
            boolean machine = grants.contains("client_credentials");
            if (machine && method.equals("none")) {
                throw new ConfigException(where + " (" + id + ") uses client_credentials, so it must be confidential "
                        + "(token-endpoint-auth-method client_secret_basic or client_secret_post)");
            }
            if (machine && scopes.isEmpty()) {
                throw new ConfigException(where + " (" + id + ") uses client_credentials: list the scopes it may have in scopes "
                        + "(it acts as itself, so nothing else limits them)");
            }
            if (machine && scopes.get().contains(RegisteredClient.ANY_SCOPE)) {
                throw new ConfigException(where + " (" + id + ") uses client_credentials: list the scopes it may have in scopes; "
                        + "\"" + RegisteredClient.ANY_SCOPE + "\" (any scope, including ones added later) is only for clients that act for a user");
            }
            List<String> audiences = tokenExchangeAudiences(entry, where, id, grants, method);
            boolean introspection = entry.path("introspection").asBoolean(false);
            if (introspection && method.equals("none")) {
                throw new ConfigException(where + " (" + id + ") has introspection: true, so it must be confidential "
                        + "(token-endpoint-auth-method client_secret_basic or client_secret_post)");
            }
            String name = entry.path("name").asString(id);
            ClientNames.problem(name).ifPresent(problem -> {
                throw new ConfigException(where + " (" + id + "): " + problem);
            });
            // a client that acts only for a user may by default be granted anything the user may have and consents to
            clients.add(new RegisteredClient(id, secretHash, ClientNames.truncate(name), redirects, grants, method, "native",
                    scopes.orElse(Set.of(RegisteredClient.ANY_SCOPE)), Instant.EPOCH, ClientOrigin.CONFIGURED, introspection, audiences));
        }
        return clients;
    }

    /**
     * The downstream audiences a client with the token exchange grant may request: it must be confidential and list at
     * least one (absolute http(s) URIs without a fragment, or names); the list without the grant is a mistake too.
     */
    private static List<String> tokenExchangeAudiences(JsonNode entry, String where, String id, Set<String> grants, String method) {
        JsonNode node = entry.path("token-exchange-audiences");
        boolean exchange = grants.contains(TOKEN_EXCHANGE);
        if (!exchange) {
            if (!node.isMissingNode() && !node.isNull()) {
                throw new ConfigException(where + " (" + id + ") has token-exchange-audiences but not the grant type " + TOKEN_EXCHANGE
                        + " in grant-types");
            }
            return List.of();
        }
        if (method.equals("none")) {
            throw new ConfigException(where + " (" + id + ") uses token exchange (" + TOKEN_EXCHANGE + "), so it must be confidential "
                    + "(token-endpoint-auth-method client_secret_basic or client_secret_post)");
        }
        if (!node.isMissingNode() && !node.isNull() && !node.isArray()) {
            throw new ConfigException(where + " (" + id + ").token-exchange-audiences must be a list");
        }
        Set<String> audiences = new LinkedHashSet<>();
        for (JsonNode value : node) {
            String audience = value.isString() ? value.asString("") : "";
            if (audience.isEmpty() || audience.length() > MAX_AUDIENCE_LENGTH || !audience.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new ConfigException(where + " (" + id + ").token-exchange-audiences: each audience is an absolute URI or a name "
                        + "of at most " + MAX_AUDIENCE_LENGTH + " printable ASCII characters without spaces");
            }
            if (audience.contains(":") && !absoluteHttpUri(audience)) {
                throw new ConfigException(where + " (" + id + ").token-exchange-audiences: " + audience + " is not an absolute http(s) "
                        + "URI without a fragment (write a name without ':' for a logical audience)");
            }
            audiences.add(audience);
        }
        if (audiences.isEmpty()) {
            throw new ConfigException(where + " (" + id + ") uses token exchange: list the downstream audiences it may request in "
                    + "token-exchange-audiences (none listed means none, never all)");
        }
        return List.copyOf(audiences);
    }

    private static boolean absoluteHttpUri(String value) {
        try {
            URI uri = new URI(value);
            return uri.isAbsolute() && (uri.getScheme().equalsIgnoreCase("https") || uri.getScheme().equalsIgnoreCase("http"))
                    && uri.getHost() != null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static Optional<Set<String>> strings(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        Set<String> out = new LinkedHashSet<>();
        node.forEach(v -> out.add(v.asString("")));
        return Optional.of(out);
    }
}
