package io.gatehouse.client.oauth;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** Token endpoint requests with the client authentication the registration uses: none, basic or post. */
final class TokenClient {

    private final Http http;
    private final Clock clock;

    TokenClient(Http http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    Credentials.Tokens exchangeCode(ServerMetadata as, Credentials client, String code, URI redirectUri, String verifier,
                                    Optional<String> resource) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri.toString());
        form.put("code_verifier", verifier);
        resource.ifPresent(r -> form.put("resource", r));
        return request(as, client, form, resource);
    }

    Credentials.Tokens refresh(ServerMetadata as, Credentials client, String refreshToken, Optional<String> resource) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        resource.ifPresent(r -> form.put("resource", r));
        Credentials.Tokens tokens = request(as, client, form, resource);
        return tokens.refreshToken().isPresent() ? tokens : new Credentials.Tokens(tokens.resource(), tokens.accessToken(),
                Optional.of(refreshToken), tokens.scope(), tokens.expiresAt());
    }

    Credentials.Tokens clientCredentials(ServerMetadata as, Credentials client, Optional<String> scope, Optional<String> resource) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        scope.ifPresent(s -> form.put("scope", s));
        resource.ifPresent(r -> form.put("resource", r));
        return request(as, client, form, resource);
    }

    /** RFC 7009 revocation where the server offers it; failures are ignored (the token expires anyway). */
    void revoke(ServerMetadata as, Credentials client, String token) {
        as.revocationEndpoint().ifPresent(endpoint -> {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("token", token);
            String[] headers = authenticate(client, form);
            http.postForm(endpoint, form, headers);
        });
    }

    private Credentials.Tokens request(ServerMetadata as, Credentials client, Map<String, String> form, Optional<String> resource) {
        String[] headers = authenticate(client, form);
        HttpResponse<String> response = http.postForm(as.tokenEndpoint(), form, headers);
        JsonNode body = Http.json(response, "the token response");
        if (response.statusCode() != 200) {
            throw new OAuthClientException("the token endpoint refused: " + Http.excerpt(body.path("error").asString("HTTP " + response.statusCode()), 100)
                    + (body.has("error_description") ? " (" + Http.excerpt(body.path("error_description").asString(), 300) + ")" : ""));
        }
        String access = body.path("access_token").asString("");
        if (access.isEmpty()) {
            throw new OAuthClientException("the token response has no access_token");
        }
        Instant expires = body.has("expires_in") ? clock.instant().plusSeconds(body.path("expires_in").asLong()) : Instant.MAX;
        String refresh = body.path("refresh_token").asString("");
        return new Credentials.Tokens(resource.orElse(""), access, refresh.isEmpty() ? Optional.empty() : Optional.of(refresh),
                body.path("scope").asString(form.getOrDefault("scope", "")), expires);
    }

    /** Adds the client's authentication to the form or returns the header for it (RFC 6749 section 2.3.1). */
    private static String[] authenticate(Credentials client, Map<String, String> form) {
        switch (client.authMethod()) {
            case "client_secret_basic" -> {
                String pair = URLEncoder.encode(client.clientId(), StandardCharsets.UTF_8) + ":"
                        + URLEncoder.encode(client.clientSecret().orElse(""), StandardCharsets.UTF_8);
                return new String[] {"Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))};
            }
            case "client_secret_post" -> {
                form.put("client_id", client.clientId());
                form.put("client_secret", client.clientSecret().orElse(""));
                return new String[0];
            }
            default -> {
                form.put("client_id", client.clientId());
                return new String[0];
            }
        }
    }
}
