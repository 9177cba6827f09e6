package io.gatehouse.client.oauth;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Authorization server metadata (RFC 8414 or OpenID Connect discovery), found in the MCP specification's probe
 * order (AS-02a); its {@code issuer} must equal the issuer it was found for (AS-03), and it must offer PKCE with
 * S256 (CL-04). For an MCP 2025-03-26 server without metadata, the endpoints default to the server's root.
 */
public record ServerMetadata(String issuer, URI authorizationEndpoint, URI tokenEndpoint, Optional<URI> registrationEndpoint,
                             Optional<URI> revocationEndpoint, List<String> scopesSupported, List<String> tokenAuthMethods,
                             boolean clientIdMetadataDocuments, boolean issParameter) {

    public static ServerMetadata discover(Http http, String issuer) {
        URI id = UrlPolicy.check(issuer, "issuer");
        String origin = id.getScheme() + "://" + id.getRawAuthority();
        String path = id.getRawPath() == null ? "" : id.getRawPath().replaceAll("/+$", "");
        List<URI> probes = new ArrayList<>();
        probes.add(URI.create(origin + "/.well-known/oauth-authorization-server" + path));
        probes.add(URI.create(origin + "/.well-known/openid-configuration" + path));
        if (!path.isEmpty()) {
            probes.add(URI.create(origin + path + "/.well-known/openid-configuration"));
        }
        for (URI probe : probes) {
            HttpResponse<String> response = http.get(probe);
            if (response.statusCode() == 200) {
                return parse(Http.json(response, "authorization server metadata"), issuer);
            }
        }
        throw new OAuthClientException("no authorization server metadata found for " + issuer + " (tried " + probes + ")");
    }

    /** MCP 2025-03-26 fallback: metadata at the server's root, else the default endpoint paths there. */
    public static ServerMetadata legacy(Http http, URI serverUrl) {
        String origin = serverUrl.getScheme() + "://" + serverUrl.getRawAuthority();
        HttpResponse<String> response = http.get(URI.create(origin + "/.well-known/oauth-authorization-server"));
        if (response.statusCode() == 200) {
            return parse(Http.json(response, "authorization server metadata"), Http.json(response, "metadata").path("issuer").asString(origin));
        }
        return new ServerMetadata(origin, URI.create(origin + "/authorize"), URI.create(origin + "/token"),
                Optional.of(URI.create(origin + "/register")), Optional.empty(), List.of(), List.of("client_secret_basic", "none"),
                false, false);
    }

    static ServerMetadata parse(JsonNode json, String expectedIssuer) {
        String issuer = json.path("issuer").asString("");
        if (!issuer.equals(expectedIssuer)) {
            throw new OAuthClientException("the authorization server metadata says issuer " + issuer + ", not " + expectedIssuer
                    + ": refusing to use it");
        }
        List<String> methods = strings(json.path("code_challenge_methods_supported"));
        if (!methods.contains("S256")) {
            throw new OAuthClientException("the authorization server does not advertise PKCE S256 (code_challenge_methods_supported)");
        }
        List<String> auth = strings(json.path("token_endpoint_auth_methods_supported"));
        return new ServerMetadata(issuer, UrlPolicy.check(json.path("authorization_endpoint").asString(""), "authorization_endpoint"),
                UrlPolicy.check(json.path("token_endpoint").asString(""), "token_endpoint"),
                optionalUrl(json, "registration_endpoint"), optionalUrl(json, "revocation_endpoint"),
                strings(json.path("scopes_supported")), auth.isEmpty() ? List.of("client_secret_basic") : auth,
                json.path("client_id_metadata_document_supported").asBoolean(false),
                json.path("authorization_response_iss_parameter_supported").asBoolean(false));
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
