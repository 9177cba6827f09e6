package io.gatehouse.as.clients;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.gatehouse.as.web.AsRequest;
import io.gatehouse.as.web.OAuthException;
import java.util.Locale;
import java.util.Optional;

/**
 * Authenticates the client at the token, revocation and introspection endpoints: {@code none} for public
 * clients, {@code client_secret_basic} and {@code client_secret_post} for confidential ones, each only as
 * registered. Secrets are compared in constant time, and an unknown client and a wrong secret get the same
 * answer ({@code invalid_client}, 401). A request that carries credentials of more than one method (HTTP Basic and
 * {@code client_secret} in the body, or a secret and a {@code client_assertion}) is refused with
 * {@code invalid_request} before any of them is looked at: RFC 6749 section 2.3 says a client MUST NOT use more
 * than one, and a parser that silently picks one lets the other go unchecked.
 */
public final class ClientAuthenticator {

    private final ClientResolver clients;

    public ClientAuthenticator(ClientResolver clients) {
        this.clients = clients;
    }

    /**
     * Refuses a request that carries credentials of more than one client authentication method. Call it on the raw
     * request before parsing it: the parser keeps one method and drops the rest.
     */
    public static void requireOneMethod(AsRequest request) {
        int methods = 0;
        if (request.header("authorization").filter(h -> h.toLowerCase(Locale.ROOT).startsWith("basic")).isPresent()) {
            methods++;
        }
        if (request.form().containsKey("client_secret")) {
            methods++;
        }
        if (request.form().containsKey("client_assertion") || request.form().containsKey("client_assertion_type")) {
            methods++;
        }
        if (methods > 1) {
            throw new OAuthException(OAuth2Error.INVALID_REQUEST,
                    "The request uses more than one client authentication method; use exactly one (RFC 6749 section 2.3)");
        }
    }

    /**
     * @param authentication what the request carried, or null for a public client
     * @param publicClientId the {@code client_id} parameter of a public client's request
     * @param caller         the request's remote address: fetches of client metadata documents are limited per caller
     */
    public RegisteredClient authenticate(ClientAuthentication authentication, Optional<ClientID> publicClientId, String caller) {
        try {
            return authenticateClient(authentication, publicClientId, caller);
        } catch (TooManyFetches e) {
            throw new OAuthException(new ErrorObject("temporarily_unavailable",
                    "Too many client metadata documents fetched for this caller; try again later", 429));
        }
    }

    private RegisteredClient authenticateClient(ClientAuthentication authentication, Optional<ClientID> publicClientId, String caller) {
        if (authentication == null) {
            String id = publicClientId.map(ClientID::getValue)
                    .orElseThrow(() -> invalid("Client authentication failed: no client_id"));
            RegisteredClient client = clients.resolve(id, caller).orElseThrow(() -> invalid("Client authentication failed"));
            if (!client.isPublic()) {
                throw invalid("Client authentication failed");
            }
            return client;
        }
        String method;
        String secret;
        if (authentication instanceof ClientSecretBasic basic) {
            method = ClientAuthenticationMethod.CLIENT_SECRET_BASIC.getValue();
            secret = basic.getClientSecret().getValue();
        } else if (authentication instanceof ClientSecretPost post) {
            method = ClientAuthenticationMethod.CLIENT_SECRET_POST.getValue();
            secret = post.getClientSecret().getValue();
        } else {
            throw invalid("Unsupported client authentication method: use client_secret_basic, client_secret_post or none");
        }
        Optional<RegisteredClient> client = clients.resolve(authentication.getClientID().getValue(), caller);
        String storedHash = client.flatMap(RegisteredClient::secretHash).orElse(Secrets.hash(Secrets.random(16)));
        boolean secretOk = Secrets.matches(secret, storedHash);
        if (client.isEmpty() || !secretOk || !client.get().authMethod().equals(method)) {
            throw invalid("Client authentication failed");
        }
        return client.get();
    }

    private static OAuthException invalid(String description) {
        return new OAuthException(OAuth2Error.INVALID_CLIENT, description);
    }
}
