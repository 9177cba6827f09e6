package io.gatehouse.server.internal.config;

import io.gatehouse.as.clients.RegisteredClient;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The APIs tools call as the user, from the config file's {@code downstreams:} section (RFC 8693 token exchange).
 * Each name maps to an audience and to the issuer that exchanges the caller's token for one of that audience: the
 * embedded authorization server, in-process, as one of the {@code clients:} allowed to exchange for it, or an
 * external provider's token endpoint with Gatehouse as a confidential client whose secret comes from an environment
 * variable (never from the file).
 *
 * <pre>
 * downstreams:
 *   reports:                                   # ctx.downstreamToken("reports")
 *     audience: https://reports.internal/api
 *     issuer: embedded                         # the embedded authorization server
 *     client-id: gatehouse-tools               # a clients: entry with the token-exchange grant and this audience
 *     scopes: [reports:read]                   # optional: ask for fewer scopes than the caller has
 *   tickets:
 *     audience: tickets-api                    # Keycloak: the client id of the downstream
 *     issuer: https://sso.example.com/realms/mcp    # token endpoint from its metadata (or token-endpoint: URL)
 *     client-id: gatehouse
 *     client-secret-env: GATEHOUSE_KEYCLOAK_SECRET
 * </pre>
 */
public final class DownstreamsConfig {

    /** The issuer value that names the embedded authorization server. */
    public static final String EMBEDDED = "embedded";
    private static final Set<String> KEYS = Set.of("audience", "issuer", "token-endpoint", "client-id", "client-secret-env",
            "scopes");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";

    private DownstreamsConfig() {
    }

    /**
     * @param clients the embedded server's configured clients (empty unless {@code auth} is embedded)
     */
    static Map<String, DownstreamConfig> parse(JsonNode section, Map<String, String> environment, AuthMode auth,
                                               List<RegisteredClient> clients) {
        Map<String, DownstreamConfig> downstreams = new LinkedHashMap<>();
        if (section == null || section.isMissingNode() || section.isNull()) {
            return downstreams;
        }
        if (!section.isObject()) {
            throw new ConfigException("The downstreams section of the config file must be a mapping of name: {audience, issuer, ...}");
        }
        for (var entry : section.properties()) {
            String name = entry.getKey();
            if (!NAME.matcher(name).matches()) {
                throw new ConfigException("downstreams: the name '" + name + "' must be 1 to 64 letters, digits, '-' or '_'");
            }
            downstreams.put(name, one(name, entry.getValue(), environment, auth, clients));
        }
        if (auth == AuthMode.NONE && !downstreams.isEmpty()) {
            throw new ConfigException("downstreams: tokens are exchanged for the caller's own token, and with auth none "
                    + "callers present none: choose an authentication mode, or remove the downstreams: section");
        }
        return Map.copyOf(downstreams);
    }

    private static DownstreamConfig one(String name, JsonNode entry, Map<String, String> environment, AuthMode auth,
                                        List<RegisteredClient> clients) {
        String where = "downstreams." + name;
        if (!entry.isObject()) {
            throw new ConfigException(where + " must be a mapping (audience, issuer, client-id, ...)");
        }
        for (String key : entry.propertyNames()) {
            if (!KEYS.contains(key)) {
                throw new ConfigException("Unknown key " + where + "." + key + "; known: " + KEYS.stream().sorted().toList());
            }
        }
        String audience = text(entry, "audience");
        if (audience.isEmpty() || !audience.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new ConfigException(where + ".audience is required: the downstream's audience (a URL or a client id), "
                    + "printable ASCII without spaces");
        }
        String clientId = text(entry, "client-id");
        if (clientId.isEmpty()) {
            throw new ConfigException(where + ".client-id is required: the client Gatehouse exchanges tokens as");
        }
        Optional<Set<String>> scopes = Optional.empty();
        if (entry.has("scopes")) {
            Set<String> listed = new LinkedHashSet<>();
            entry.path("scopes").forEach(s -> listed.add(s.asString("")));
            if (!entry.path("scopes").isArray() || listed.stream().anyMatch(s -> !s.matches("[\\x21\\x23-\\x5b\\x5d-\\x7e]+"))) {
                throw new ConfigException(where + ".scopes must be a list of scope names");
            }
            if (listed.isEmpty()) {
                // an exchange that asks for no scope gets the caller's: an empty list must not stand for all of them
                throw new ConfigException(where + ".scopes is empty: name at least one scope, or leave scopes out to carry "
                        + "the caller's scopes");
            }
            scopes = Optional.of(Set.copyOf(listed));
        }
        String issuer = text(entry, "issuer");
        String tokenEndpoint = text(entry, "token-endpoint");
        if (issuer.equals(EMBEDDED)) {
            return new DownstreamConfig(name, audience, scopes, embedded(where, entry, audience, clientId, auth, clients, tokenEndpoint));
        }
        if (issuer.isEmpty() == tokenEndpoint.isEmpty()) {
            throw new ConfigException(where + " needs exactly one of issuer (embedded, or an external issuer's URL) and "
                    + "token-endpoint (an external token endpoint's URL)");
        }
        if (auth == AuthMode.EMBEDDED) {
            // the subject token would be one the embedded server issued: another party's token endpoint could replay it at /mcp
            throw new ConfigException(where + " exchanges at an external issuer, but the callers' tokens come from the embedded "
                    + "authorization server and would be handed to that issuer (which could use them here): use issuer: embedded, "
                    + "or run with auth external at that issuer");
        }
        String variable = text(entry, "client-secret-env");
        String secret = environment.getOrDefault(variable, "");
        if (variable.isEmpty() || secret.isBlank()) {
            throw new ConfigException(where + " exchanges at an external issuer as a confidential client: set "
                    + "client-secret-env to the name of an environment variable that holds its secret"
                    + (variable.isEmpty() ? "" : " (" + variable + " is not set)"));
        }
        return new DownstreamConfig(name, audience, scopes, new DownstreamConfig.External(
                issuer.isEmpty() ? Optional.empty() : Optional.of(url(where + ".issuer", issuer)),
                tokenEndpoint.isEmpty() ? Optional.empty() : Optional.of(url(where + ".token-endpoint", tokenEndpoint)),
                clientId, new DownstreamConfig.ClientSecret(variable, secret.strip())));
    }

    private static DownstreamConfig.Embedded embedded(String where, JsonNode entry, String audience, String clientId, AuthMode auth,
                                                      List<RegisteredClient> clients, String tokenEndpoint) {
        if (auth != AuthMode.EMBEDDED) {
            throw new ConfigException(where + ".issuer is embedded, but the embedded authorization server is not running "
                    + "(auth is " + auth.name().toLowerCase(Locale.ROOT).replace('_', '-') + ")");
        }
        if (!tokenEndpoint.isEmpty() || entry.has("client-secret-env")) {
            throw new ConfigException(where + ": token-endpoint and client-secret-env are for an external issuer; with "
                    + "issuer embedded Gatehouse exchanges in-process as client-id");
        }
        RegisteredClient client = clients.stream().filter(c -> c.clientId().equals(clientId)).findFirst()
                .orElseThrow(() -> new ConfigException(where + ".client-id '" + clientId + "' is not in the clients: section"));
        if (client.secretHash().isEmpty() || !client.grantTypes().contains(TOKEN_EXCHANGE)
                || !client.tokenExchangeAudiences().contains(audience)) {
            throw new ConfigException(where + ": the client '" + clientId + "' must be confidential, list the grant "
                    + TOKEN_EXCHANGE + " in grant-types, and list '" + audience + "' in token-exchange-audiences");
        }
        return new DownstreamConfig.Embedded(clientId);
    }

    private static URI url(String where, String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException(where + " is not a URL: '" + value + "'");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost();
        boolean loopback = host.equals("localhost") || GatehouseConfig.isLoopback(host) && !host.isEmpty();
        if (!(scheme.equals("https") || scheme.equals("http") && loopback) || host.isEmpty()
                || uri.getRawUserInfo() != null || uri.getRawFragment() != null || uri.getRawQuery() != null) {
            throw new ConfigException(where + " must be an https URL (http only on loopback), without user info, query or "
                    + "fragment, got '" + value + "'");
        }
        return uri;
    }

    private static String text(JsonNode entry, String key) {
        JsonNode value = entry.path(key);
        return value.isValueNode() ? value.asString("").strip() : "";
    }
}
