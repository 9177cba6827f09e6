package io.gatehouse.app.config;

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
 * (never written in the file); it is kept only as a hash.
 *
 * <pre>
 * clients:
 *   - client-id: my-ide
 *     name: My IDE
 *     redirect-uris: [http://127.0.0.1/callback]     # loopback: any port
 *     grant-types: [authorization_code, refresh_token]
 *     token-endpoint-auth-method: none                # or client_secret_basic / client_secret_post
 *     client-secret-env: MY_IDE_SECRET                # for confidential clients
 *     scopes: [mcp:read, mcp:tools]                   # optional limit
 * </pre>
 */
public final class ClientsConfig {

    private static final Set<String> KEYS = Set.of("client-id", "name", "redirect-uris", "grant-types",
            "token-endpoint-auth-method", "client-secret-env", "scopes");

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
        int index = 0;
        for (JsonNode entry : section) {
            String where = "clients[" + index++ + "]";
            for (String key : entry.propertyNames()) {
                if (!KEYS.contains(key)) {
                    throw new ConfigException("Unknown key " + where + "." + key + "; known: " + KEYS);
                }
            }
            String id = entry.path("client-id").asString("");
            if (id.isBlank()) {
                throw new ConfigException(where + " needs a client-id");
            }
            List<URI> redirects = new ArrayList<>();
            for (JsonNode uri : entry.path("redirect-uris")) {
                Optional<String> problem = RedirectUris.problem(uri.asString(""));
                if (problem.isPresent()) {
                    throw new ConfigException(where + ".redirect-uris: the redirect URI " + problem.get());
                }
                redirects.add(URI.create(uri.asString("")));
            }
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
            Set<String> grants = strings(entry.path("grant-types"), Set.of("authorization_code", "refresh_token"));
            clients.add(new RegisteredClient(id, secretHash, entry.path("name").asString(id), redirects, grants, method,
                    "native", strings(entry.path("scopes"), Set.of()), Instant.EPOCH));
        }
        return clients;
    }

    private static Set<String> strings(JsonNode node, Set<String> otherwise) {
        if (node.isMissingNode() || node.isNull()) {
            return otherwise;
        }
        Set<String> out = new LinkedHashSet<>();
        node.forEach(v -> out.add(v.asString("")));
        return out;
    }
}
