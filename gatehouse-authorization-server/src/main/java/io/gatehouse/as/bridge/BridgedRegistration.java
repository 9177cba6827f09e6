package io.gatehouse.as.bridge;

import io.gatehouse.as.clients.RedirectUris;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The registration request the bridge relays upstream, rebuilt member by member from an allow-list of what an MCP
 * client needs (RFC 7591 section 2): the bridge registers through Gatehouse's own, possibly trusted, address, so it
 * must never let a caller ask the provider for more than a user-facing MCP client is. Accepted:
 * <ul>
 *   <li>{@code redirect_uris}: 1 to {@value #MAX_REDIRECT_URIS}, https or http on a loopback address, no fragment
 *   or user information;</li>
 *   <li>{@code grant_types}: {@code authorization_code}, optionally with {@code refresh_token} (never
 *   {@code client_credentials}: a client that calls tools with no user behind it);</li>
 *   <li>{@code response_types}: {@code code}; {@code token_endpoint_auth_method}: {@code none},
 *   {@code client_secret_basic} or {@code client_secret_post}; {@code application_type}: web or native;</li>
 *   <li>{@code scope}: only scopes the provider advertises; {@code client_name} cut to {@value #MAX_NAME}
 *   characters; {@code client_uri}, {@code tos_uri}, {@code policy_uri} only when they are https URLs (else
 *   dropped).</li>
 * </ul>
 * A request for custom protocol mappers (which map any attribute into any claim) is refused outright; every
 * other member ({@code logo_uri}, {@code jwks_uri}, {@code sector_identifier_uri}, provider extensions ...) is
 * dropped, never relayed. Error descriptions never repeat the caller's input.
 */
final class BridgedRegistration {

    static final int MAX_REDIRECT_URIS = 10;
    static final int MAX_NAME = 100;
    static final int MAX_URI = 2000;
    private static final Set<String> GRANT_TYPES = Set.of("authorization_code", "refresh_token");
    private static final Set<String> AUTH_METHODS = Set.of("none", "client_secret_basic", "client_secret_post");
    private static final Set<String> APPLICATION_TYPES = Set.of("web", "native");
    private static final List<String> INFORMATION_URIS = List.of("client_uri", "tos_uri", "policy_uri");
    /** Members that ask the provider to put chosen values into tokens: refused, not just dropped. */
    private static final Set<String> MAPPERS = Set.of("protocol_mappers", "protocolmappers", "protocol_mapper", "protocolmapper");

    /** A request the bridge refuses, with its RFC 7591 error code. */
    static final class Refused extends Exception {
        private final String error;

        Refused(String error, String description) {
            super(description, null, false, false);
            this.error = error;
        }

        String error() {
            return error;
        }
    }

    private BridgedRegistration() {
    }

    /**
     * The members to relay, rebuilt from {@code requested}.
     *
     * @param supportedScopes the provider's {@code scopes_supported} (requested scopes outside it are dropped)
     * @throws Refused the request asks for something an MCP client must not get through the bridge
     */
    static Map<String, Object> of(Map<String, Object> requested, Set<String> supportedScopes) throws Refused {
        for (String member : requested.keySet()) {
            if (MAPPERS.contains(member.toLowerCase(Locale.ROOT))) {
                throw invalid("custom protocol mappers cannot be registered through this server");
            }
        }
        Map<String, Object> relayed = new LinkedHashMap<>();
        relayed.put("redirect_uris", redirectUris(requested.get("redirect_uris")));
        List<String> grantTypes = strings(requested.get("grant_types"), "grant_types").orElse(List.of("authorization_code", "refresh_token"));
        if (!GRANT_TYPES.containsAll(grantTypes) || !grantTypes.contains("authorization_code")) {
            throw invalid("grant_types must be authorization_code, optionally with refresh_token");
        }
        relayed.put("grant_types", List.copyOf(new LinkedHashSet<>(grantTypes)));
        List<String> responseTypes = strings(requested.get("response_types"), "response_types").orElse(List.of("code"));
        if (!Set.copyOf(responseTypes).equals(Set.of("code"))) {
            throw invalid("response_types may only be code");
        }
        relayed.put("response_types", List.of("code"));
        Optional<String> authMethod = string(requested.get("token_endpoint_auth_method"), "token_endpoint_auth_method");
        if (authMethod.isPresent() && !AUTH_METHODS.contains(authMethod.get())) {
            throw invalid("token_endpoint_auth_method must be none, client_secret_basic or client_secret_post");
        }
        authMethod.ifPresent(m -> relayed.put("token_endpoint_auth_method", m));
        Optional<String> applicationType = string(requested.get("application_type"), "application_type");
        if (applicationType.isPresent() && !APPLICATION_TYPES.contains(applicationType.get())) {
            throw invalid("application_type must be web or native");
        }
        applicationType.ifPresent(t -> relayed.put("application_type", t));
        string(requested.get("scope"), "scope").ifPresent(scope -> {
            List<String> kept = Arrays.stream(scope.split(" ")).filter(supportedScopes::contains).distinct().toList();
            if (!kept.isEmpty()) {
                relayed.put("scope", String.join(" ", kept));
            }
        });
        Optional<String> name = string(requested.get("client_name"), "client_name").map(BridgedRegistration::name).filter(n -> !n.isBlank());
        name.ifPresent(n -> relayed.put("client_name", n));
        for (String member : INFORMATION_URIS) {
            string(requested.get(member), member).filter(BridgedRegistration::isHttpsUrl).ifPresent(u -> relayed.put(member, u));
        }
        return relayed;
    }

    private static List<String> redirectUris(Object value) throws Refused {
        if (!(value instanceof List<?> list) || list.isEmpty() || list.size() > MAX_REDIRECT_URIS) {
            throw new Refused("invalid_redirect_uri", "redirect_uris must be an array of 1 to " + MAX_REDIRECT_URIS + " URIs");
        }
        List<String> uris = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String uri) || uri.length() > MAX_URI || RedirectUris.problem(uri).isPresent()) {
                throw new Refused("invalid_redirect_uri",
                        "every redirect URI must use https, or http on a loopback address, without a fragment or user information");
            }
            uris.add(uri);
        }
        return uris;
    }

    private static boolean isHttpsUrl(String value) {
        try {
            URI uri = new URI(value);
            return value.length() <= MAX_URI && "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null
                    && uri.getRawUserInfo() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** The name cut to {@value #MAX_NAME} characters (never inside a surrogate pair), control characters removed. */
    private static String name(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            i += Character.charCount(c);
            if (out.length() + Character.charCount(c) > MAX_NAME) {
                break;
            }
            if (!Character.isISOControl(c)) {
                out.appendCodePoint(c);
            }
        }
        return out.toString().strip();
    }

    private static Optional<String> string(Object value, String member) throws Refused {
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text)) {
            throw invalid(member + " must be a string");
        }
        return Optional.of(text);
    }

    private static Optional<List<String>> strings(Object value, String member) throws Refused {
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof List<?> list) || list.isEmpty() || !list.stream().allMatch(String.class::isInstance)) {
            throw invalid(member + " must be a non-empty array of strings");
        }
        return Optional.of(list.stream().map(String.class::cast).toList());
    }

    private static Refused invalid(String description) {
        return new Refused("invalid_client_metadata", description);
    }
}
