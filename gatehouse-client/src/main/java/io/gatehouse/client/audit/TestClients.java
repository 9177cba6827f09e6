package io.gatehouse.client.audit;

import io.gatehouse.client.oauth.Http;
import io.gatehouse.client.oauth.OAuthClientException;
import io.gatehouse.client.oauth.ServerMetadata;
import io.gatehouse.client.oauth.UrlPolicy;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The clients the audit registers at the provider, and their removal: every one is deleted at the end, at its
 * own management URI (RFC 7592 {@code registration_client_uri}) with its own registration access token, and only
 * when that URI is on the provider's origin over https (or loopback http): a provider cannot make the audit send
 * a token, or a DELETE, anywhere else.
 */
final class TestClients {

    /** A client the audit registered; {@code managementUri} is where it can be deleted, when the provider allows it. */
    record Registered(String clientId, Optional<URI> managementUri, Optional<String> accessToken, Optional<String> secret,
                      String why, JsonNode response) {
    }

    private final Http http;
    private final String providerOrigin;
    private final List<Registered> registered = new ArrayList<>();
    private final List<String> kept = new ArrayList<>();

    TestClients(Http http, URI issuer) {
        this.http = http;
        this.providerOrigin = ServerMetadata.origin(issuer);
    }

    /**
     * Posts {@code request} to {@code endpoint}; a 2xx answer with a client id is remembered for clean-up.
     * {@code management} picks the management URI out of the response (RFC 7592 by default).
     */
    Result register(URI endpoint, String request, String why, Management management) {
        HttpResponse<String> response = http.postJson(endpoint, request);
        if (response.statusCode() / 100 != 2) {
            return new Result(response.statusCode(), Optional.empty(), Http.excerpt(response.body(), 160));
        }
        JsonNode body;
        try {
            body = Http.json(response, "the registration response");
        } catch (OAuthClientException e) {
            kept.add("a client registered for " + why + " (the answer was not JSON, so it cannot be removed)");
            return new Result(response.statusCode(), Optional.empty(), e.getMessage());
        }
        String clientId = management.clientId(body);
        if (clientId.isEmpty()) {
            return new Result(response.statusCode(), Optional.empty(), "the registration response has no client id");
        }
        Registered client = new Registered(clientId, management.uri(body, clientId), management.token(body),
                text(body, "client_secret"), why, body);
        registered.add(client);
        return new Result(response.statusCode(), Optional.of(client), "");
    }

    /** Deletes every client registered; the check row says what was removed and what stays. */
    Check cleanUp() {
        List<String> removed = new ArrayList<>();
        List<String> left = new ArrayList<>(kept);
        for (Registered client : registered) {
            String name = Http.excerpt(client.clientId(), 80) + " (" + client.why() + ")";
            Optional<String> refusal = deletable(client);
            if (refusal.isPresent()) {
                left.add(name + ": " + refusal.get());
                continue;
            }
            int status;
            try {
                status = http.send(HttpRequest.newBuilder(client.managementUri().get())
                        .header("Authorization", "Bearer " + client.accessToken().get()).DELETE()).statusCode();
            } catch (OAuthClientException e) {
                left.add(name + ": " + e.getMessage());
                continue;
            }
            if (status / 100 == 2) {
                removed.add(name);
            } else {
                left.add(name + ": DELETE answered " + status);
            }
        }
        if (removed.isEmpty() && left.isEmpty()) {
            return new Check("cleanup", "Test registrations removed (RFC 7592)", Check.Result.NOT_MEASURED, "nothing was registered");
        }
        String detail = (removed.isEmpty() ? "" : "removed " + String.join(", ", removed))
                + (left.isEmpty() ? "" : (removed.isEmpty() ? "" : "; ") + "still registered: " + String.join("; ", left));
        return new Check("cleanup", "Test registrations removed (RFC 7592)", left.isEmpty() ? Check.Result.YES : Check.Result.NO, detail);
    }

    /** Why a client cannot be deleted safely, if it cannot. */
    private Optional<String> deletable(Registered client) {
        if (client.managementUri().isEmpty() || client.accessToken().isEmpty()) {
            return Optional.of("the provider gave no registration management URI and token");
        }
        URI uri = client.managementUri().get();
        try {
            UrlPolicy.check(uri.toString(), "registration_client_uri");
        } catch (OAuthClientException e) {
            return Optional.of("its registration_client_uri is not https (nor loopback http): not sending the token there");
        }
        if (!ServerMetadata.origin(uri).equals(providerOrigin)) {
            return Optional.of("its registration_client_uri is on " + ServerMetadata.origin(uri) + ", not on the provider's origin "
                    + providerOrigin + ": not sending the token there");
        }
        return Optional.empty();
    }

    /** The outcome of one registration request: the status, the client when one was registered, or why not. */
    record Result(int status, Optional<Registered> client, String problem) {
    }

    /** Where a registration response keeps the client id, the management URI and its token. */
    interface Management {
        String clientId(JsonNode response);

        Optional<URI> uri(JsonNode response, String clientId);

        Optional<String> token(JsonNode response);

        /** RFC 7591 / RFC 7592 field names. */
        Management RFC_7592 = new Management() {
            @Override
            public String clientId(JsonNode response) {
                return response.path("client_id").asString("");
            }

            @Override
            public Optional<URI> uri(JsonNode response, String clientId) {
                return text(response, "registration_client_uri").flatMap(TestClients::uri);
            }

            @Override
            public Optional<String> token(JsonNode response) {
                return text(response, "registration_access_token");
            }
        };
    }

    static Optional<URI> uri(String text) {
        try {
            URI uri = new URI(text);
            return uri.getScheme() == null || uri.getHost() == null ? Optional.empty() : Optional.of(uri);
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }

    static Optional<String> text(JsonNode node, String name) {
        String value = node.path(name).asString("");
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }
}
