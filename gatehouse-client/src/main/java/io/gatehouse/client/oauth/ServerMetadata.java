package io.gatehouse.client.oauth;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Authorization server metadata (RFC 8414 or OpenID Connect discovery), found in the MCP specification's probe
 * order (AS-02a); its {@code issuer} must equal the issuer whose well-known URL it was fetched from (RFC 8414
 * section 3.3, AS-03), and it must offer PKCE with S256 (CL-04). For an MCP 2025-03-26 server without protected
 * resource metadata, the metadata is looked up at the server's origin, so its issuer must be on that origin; with
 * no metadata there either, the endpoints default to the server's root.
 *
 * <p>{@code metadataUrl} is the URL the document was validated against (for the defaults, the URL that had none).
 * The endpoints that receive client credentials (the code and PKCE verifier, refresh tokens, client secrets) must
 * be on that URL's origin: a document may not send them anywhere else.
 */
public record ServerMetadata(String issuer, URI metadataUrl, URI authorizationEndpoint, URI tokenEndpoint,
                             Optional<URI> registrationEndpoint, Optional<URI> revocationEndpoint, List<String> scopesSupported,
                             List<String> tokenAuthMethods, boolean clientIdMetadataDocuments, boolean issParameter) {

    static final String LEGACY_PATH = "/.well-known/oauth-authorization-server";

    public ServerMetadata {
        requireSameOrigin(metadataUrl, tokenEndpoint, "token_endpoint");
        revocationEndpoint.ifPresent(r -> requireSameOrigin(metadataUrl, r, "revocation_endpoint"));
    }

    public static ServerMetadata discover(Http http, String issuer) {
        URI id = UrlPolicy.check(issuer, "issuer");
        String origin = origin(id);
        String path = id.getRawPath() == null ? "" : id.getRawPath().replaceAll("/+$", "");
        List<URI> probes = new ArrayList<>();
        probes.add(URI.create(origin + LEGACY_PATH + path));
        probes.add(URI.create(origin + "/.well-known/openid-configuration" + path));
        if (!path.isEmpty()) {
            probes.add(URI.create(origin + path + "/.well-known/openid-configuration"));
        }
        for (URI probe : probes) {
            HttpResponse<String> response = http.get(probe);
            if (response.statusCode() == 200) {
                return parse(Http.json(response, "authorization server metadata"), issuer, probe);
            }
        }
        throw new OAuthClientException("no authorization server metadata found for " + issuer + " (tried " + probes + ")");
    }

    /**
     * MCP 2025-03-26 fallback: metadata at the server's origin, else the default endpoint paths there. A document
     * there speaks only for its own origin: its issuer must be on the server's origin (the origin itself, or a path
     * on it; the conformance suite's servers use {@code <origin>/oauth}), whatever the document would like it to be.
     */
    public static ServerMetadata legacy(Http http, URI serverUrl) {
        String origin = origin(serverUrl);
        URI location = URI.create(origin + LEGACY_PATH);
        HttpResponse<String> response = http.get(location);
        if (response.statusCode() != 200) {
            return defaults(origin);
        }
        JsonNode json = Http.json(response, "authorization server metadata");
        String issuer = json.path("issuer").asString("");
        if (!onOrigin(issuer, origin)) {
            throw new OAuthClientException("the authorization server metadata at " + location + " says issuer " + Http.excerpt(issuer, 200)
                    + ", which is not on the MCP server's origin " + origin + ": refusing to use it (a server's metadata speaks only"
                    + " for an issuer on its own origin)");
        }
        return parse(json, issuer, location);
    }

    /** The metadata again, from the URL it was validated against when the client was registered (for refresh and revocation). */
    static ServerMetadata reload(Http http, String issuer, Optional<URI> metadataUrl) {
        if (metadataUrl.isEmpty()) {
            return discover(http, issuer);
        }
        URI location = metadataUrl.get();
        HttpResponse<String> response = http.get(location);
        if (response.statusCode() == 200) {
            return parse(Http.json(response, "authorization server metadata"), issuer, location);
        }
        if (issuer.equals(origin(location)) && location.toString().equals(issuer + LEGACY_PATH)) {
            return defaults(issuer);
        }
        throw new OAuthClientException("the authorization server metadata at " + location + " answered " + response.statusCode());
    }

    /** The 2025-03-26 default endpoints at the server's origin, for a server with no metadata at all. */
    private static ServerMetadata defaults(String origin) {
        return new ServerMetadata(origin, URI.create(origin + LEGACY_PATH), URI.create(origin + "/authorize"), URI.create(origin + "/token"),
                Optional.of(URI.create(origin + "/register")), Optional.empty(), List.of(), List.of("client_secret_basic", "none"),
                false, false);
    }

    private static boolean onOrigin(String issuer, String origin) {
        try {
            return origin(UrlPolicy.check(issuer, "issuer")).equals(origin);
        } catch (OAuthClientException e) {
            return false;
        }
    }

    static ServerMetadata parse(JsonNode json, String expectedIssuer, URI metadataUrl) {
        String issuer = json.path("issuer").asString("");
        if (!issuer.equals(expectedIssuer)) {
            throw new OAuthClientException("the authorization server metadata at " + metadataUrl + " says issuer "
                    + Http.excerpt(issuer, 200) + ", not " + expectedIssuer + ": refusing to use it (RFC 8414 section 3.3)");
        }
        List<String> methods = strings(json.path("code_challenge_methods_supported"));
        if (!methods.contains("S256")) {
            throw new OAuthClientException("the authorization server does not advertise PKCE S256 (code_challenge_methods_supported)");
        }
        List<String> auth = strings(json.path("token_endpoint_auth_methods_supported"));
        return new ServerMetadata(issuer, metadataUrl, UrlPolicy.check(json.path("authorization_endpoint").asString(""), "authorization_endpoint"),
                UrlPolicy.check(json.path("token_endpoint").asString(""), "token_endpoint"),
                optionalUrl(json, "registration_endpoint"), optionalUrl(json, "revocation_endpoint"),
                strings(json.path("scopes_supported")), auth.isEmpty() ? List.of("client_secret_basic") : auth,
                json.path("client_id_metadata_document_supported").asBoolean(false),
                json.path("authorization_response_iss_parameter_supported").asBoolean(false));
    }

    /** scheme://host[:port], the origin a URL belongs to (RFC 6454: case-insensitive scheme and host, default port omitted). */
    public static String origin(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || scheme.equals("https") && port == 443 || scheme.equals("http") && port == 80;
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    private static void requireSameOrigin(URI metadataUrl, URI endpoint, String name) {
        if (!origin(metadataUrl).equals(origin(endpoint))) {
            throw new OAuthClientException("the authorization server metadata at " + metadataUrl + " puts its " + name + " on "
                    + origin(endpoint) + ", another origin than its own: refusing to send client credentials there");
        }
    }

    private static Optional<URI> optionalUrl(JsonNode json, String name) {
        String value = json.path(name).asString("");
        return value.isEmpty() ? Optional.empty() : Optional.of(UrlPolicy.check(value, name));
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asString("")));
        return out;
    }
}
