package io.gatehouse.client.oauth;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The authorization code grant with PKCE S256 and {@code state} (CL-04), {@code resource} on both legs (CL-05),
 * and the RFC 9207 {@code iss} check (CL-07): a response whose {@code iss} differs from the issuer, or that lacks
 * it when the server promised it, is refused before anything in it is acted on.
 */
final class AuthorizationCodeFlow {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final TokenClient tokens;

    AuthorizationCodeFlow(TokenClient tokens) {
        this.tokens = tokens;
    }

    Credentials.Tokens run(ServerMetadata as, Credentials client, LoopbackReceiver receiver, Optional<String> scope,
                           Optional<String> resource, ClientOptions options) {
        CodeVerifier verifier = new CodeVerifier();
        byte[] stateBytes = new byte[24];
        RANDOM.nextBytes(stateBytes);
        String state = Base64.getUrlEncoder().withoutPadding().encodeToString(stateBytes);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", client.clientId());
        params.put("redirect_uri", receiver.redirectUri().toString());
        params.put("code_challenge", CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue());
        params.put("code_challenge_method", "S256");
        params.put("state", state);
        scope.ifPresent(s -> params.put("scope", s));
        resource.ifPresent(r -> params.put("resource", r));
        String endpoint = as.authorizationEndpoint().toString();
        URI url = URI.create(endpoint + (endpoint.contains("?") ? "&" : "?") + Http.form(params));
        options.opener().open(url);
        Map<String, String> response = receiver.await(options.timeout());
        String iss = response.get("iss");
        if (iss != null && !iss.equals(as.issuer())) {
            throw new OAuthClientException("the authorization response came from issuer " + Http.excerpt(iss, 200) + ", not " + as.issuer() + " (mix-up?)");
        }
        if (iss == null && as.issParameter()) {
            throw new OAuthClientException("the authorization response lacks the iss parameter its server promised");
        }
        if (!state.equals(response.get("state"))) {
            throw new OAuthClientException("the authorization response's state does not match the request");
        }
        if (response.containsKey("error")) {
            throw new OAuthClientException("authorization failed: " + Http.excerpt(response.get("error"), 100)
                    + (response.containsKey("error_description") ? " (" + Http.excerpt(response.get("error_description"), 300) + ")" : ""));
        }
        String code = Optional.ofNullable(response.get("code")).filter(c -> !c.isEmpty())
                .orElseThrow(() -> new OAuthClientException("the authorization response has no code"));
        return tokens.exchangeCode(as, client, code, receiver.redirectUri(), verifier.getValue(), resource);
    }
}
