package io.gatehouse.client.oauth;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Gets a client identity at an authorization server in the MCP priority order (CL-06): pre-registered
 * credentials, then a client ID metadata document (when the server supports them), then RFC 7591 dynamic
 * registration as a native application (AS-07a).
 */
final class Registration {

    private final Http http;

    Registration(Http http) {
        this.http = http;
    }

    Credentials obtain(ServerMetadata as, ClientOptions options, URI redirectUri) {
        if (options.clientId().isPresent()) {
            String method = options.clientSecret().isEmpty() ? "none"
                    : as.tokenAuthMethods().contains("client_secret_basic") ? "client_secret_basic" : "client_secret_post";
            return Credentials.registered(as, options.clientId().get(), options.clientSecret(), method);
        }
        if (options.clientMetadataUrl().isPresent() && as.clientIdMetadataDocuments()) {
            return Credentials.registered(as, options.clientMetadataUrl().get(), Optional.empty(), "none");
        }
        URI endpoint = as.registrationEndpoint().orElseThrow(() -> new OAuthClientException(
                "the authorization server " + as.issuer() + " offers no way to register: pass --client-id (and --client-secret)"));
        String method = options.clientCredentials() ? confidentialMethod(as)
                : as.tokenAuthMethods().contains("none") ? "none" : confidentialMethod(as);
        ObjectNode request = Http.JSON.createObjectNode();
        request.put("client_name", options.clientName());
        request.putArray("redirect_uris").add(redirectUri.toString());
        var grants = request.putArray("grant_types");
        (options.clientCredentials() ? List.of("client_credentials") : List.of("authorization_code", "refresh_token")).forEach(grants::add);
        request.putArray("response_types").add("code");
        request.put("token_endpoint_auth_method", method);
        request.put("application_type", "native");
        HttpResponse<String> response = http.postJson(endpoint, request.toString());
        JsonNode body = Http.json(response, "the registration response");
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw new OAuthClientException("dynamic registration was refused: " + Http.excerpt(body.path("error").asString("HTTP "
                    + response.statusCode()), 100) + (body.has("error_description") ? " (" + Http.excerpt(body.path("error_description").asString(), 300) + ")" : ""));
        }
        if (body.path("client_id").asString("").isEmpty()) {
            throw new OAuthClientException("the registration response has no client_id");
        }
        String secret = body.path("client_secret").asString("");
        String granted = body.path("token_endpoint_auth_method").asString(method);
        return Credentials.registered(as, body.path("client_id").asString(), secret.isEmpty() ? Optional.empty() : Optional.of(secret),
                secret.isEmpty() ? "none" : granted);
    }

    private static String confidentialMethod(ServerMetadata as) {
        return as.tokenAuthMethods().contains("client_secret_basic") ? "client_secret_basic"
                : as.tokenAuthMethods().contains("client_secret_post") ? "client_secret_post" : "none";
    }
}
