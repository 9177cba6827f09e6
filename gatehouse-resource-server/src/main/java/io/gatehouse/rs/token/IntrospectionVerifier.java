package io.gatehouse.rs.token;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Verifies opaque or JWT tokens by asking the issuer (RFC 7662 token introspection), authenticating as a
 * confidential client with {@code client_secret_basic}. An active token must still name this server in
 * {@code aud} and the configured issuer in {@code iss}, and carry {@code exp}.
 */
public final class IntrospectionVerifier implements TokenVerifier {

    private final URI endpoint;
    private final ClientSecretBasic clientAuth;
    private final String issuer;
    private final List<String> audiences;
    private final ClaimsReader claims;
    private final Clock clock;

    public IntrospectionVerifier(URI endpoint, String clientId, String clientSecret, String issuer, List<String> audiences,
                                 ClaimsReader claims, Clock clock) {
        this.endpoint = endpoint;
        this.clientAuth = new ClientSecretBasic(new ClientID(clientId), new Secret(clientSecret));
        this.issuer = issuer;
        this.audiences = List.copyOf(audiences);
        this.claims = claims;
        this.clock = clock;
    }

    @Override
    public AccessToken verify(String token) {
        TokenIntrospectionResponse response;
        try {
            HTTPRequest request = new TokenIntrospectionRequest(endpoint, clientAuth, new BearerAccessToken(token)).toHTTPRequest();
            request.setConnectTimeout(5_000);
            request.setReadTimeout(5_000);
            response = TokenIntrospectionResponse.parse(request.send());
        } catch (IOException | ParseException e) {
            throw new VerifierUnavailableException("introspection failed: " + e.getMessage(), e);
        }
        if (!response.indicatesSuccess()) {
            throw new VerifierUnavailableException("introspection refused: "
                    + response.toErrorResponse().getErrorObject().getCode(), null);
        }
        TokenIntrospectionSuccessResponse success = response.toSuccessResponse();
        if (!success.isActive()) {
            throw new InvalidTokenException("introspection: token not active");
        }
        Map<String, Object> map = success.toJSONObject();
        AccessToken token1 = claims.read(map);
        // a missing iss is not "any issuer": the token must say it comes from the configured one
        if (!token1.issuer().equals(issuer)) {
            throw new InvalidTokenException("introspection: wrong or missing issuer " + token1.issuer());
        }
        if (token1.audience().stream().noneMatch(audiences::contains)) {
            throw new InvalidTokenException("introspection: audience " + token1.audience() + " is not this server");
        }
        if (token1.expiresAt().equals(Instant.EPOCH)) {
            throw new InvalidTokenException("introspection: no exp");
        }
        if (!token1.expiresAt().isAfter(clock.instant())) {
            throw InvalidTokenException.expired();
        }
        return token1;
    }
}
