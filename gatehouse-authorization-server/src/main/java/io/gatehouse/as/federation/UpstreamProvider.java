package io.gatehouse.as.federation;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import com.nimbusds.oauth2.sdk.token.Tokens;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream OpenID provider as Gatehouse's confidential client sees it: its discovery document (fetched when first
 * needed, again at most every {@link #RETRY} while it fails), the authentication request, the code exchange and refresh
 * at its token endpoint with Gatehouse's client authentication, ID token validation (Nimbus {@link IDTokenValidator}:
 * signature by the provider's JWKS, {@code iss}, {@code aud}, {@code azp}, {@code exp}, {@code iat}, {@code nonce}),
 * userinfo and the end-session endpoint. Every request has a timeout; nothing the provider sends is trusted beyond what
 * is validated.
 */
final class UpstreamProvider {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamProvider.class);
    static final Duration RETRY = Duration.ofSeconds(10);
    private static final int TIMEOUT_MILLIS = 5_000;
    private static final int MAX_CLOCK_SKEW_SECONDS = 60;

    /** The provider cannot be reached, or answers something that is not OAuth. */
    static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    /** The provider refused: an OAuth error it returned ({@code invalid_grant} ...). */
    static final class Refused extends Exception {
        private final ErrorObject error;

        Refused(ErrorObject error) {
            super(error.getCode());
            this.error = error;
        }

        ErrorObject error() {
            return error;
        }
    }

    /** What the code exchange returned, the ID token validated. */
    record SignIn(IDTokenClaimsSet idToken, String idTokenText, BearerAccessToken accessToken, Optional<String> refreshToken) {
    }

    private final FederationSettings settings;
    private final ClientKey clientKey;
    private final Clock clock;
    private final BoundedHttp http = new BoundedHttp(Duration.ofMillis(TIMEOUT_MILLIS));
    private volatile Discovered discovered;
    private volatile Instant lastFailure = Instant.EPOCH;

    private record Discovered(OIDCProviderMetadata metadata, IDTokenValidator validator) {
    }

    UpstreamProvider(FederationSettings settings, ClientKey clientKey, Clock clock) {
        this.settings = settings;
        this.clientKey = clientKey;
        this.clock = clock;
    }

    /** Whether the discovery document was read (readiness); tries to read it when not, at most every {@link #RETRY}. */
    boolean reachable() {
        try {
            discovered();
            return true;
        } catch (Unavailable e) {
            return false;
        }
    }

    private Discovered discovered() throws Unavailable {
        Discovered known = discovered;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (discovered != null) {
                return discovered;
            }
            if (clock.instant().isBefore(lastFailure.plus(RETRY))) {
                throw new Unavailable("the identity provider " + settings.issuer() + " could not be reached a moment ago");
            }
            try {
                Issuer expected = new Issuer(settings.issuer().toString());
                HTTPResponse document = http.send(new HTTPRequest(HTTPRequest.Method.GET, OIDCProviderMetadata.resolveURL(expected)));
                if (document.getStatusCode() != 200) {
                    throw new IOException("its discovery document answered HTTP " + document.getStatusCode());
                }
                OIDCProviderMetadata metadata = OIDCProviderMetadata.parse(document.getBody());
                if (!expected.equals(metadata.getIssuer())) {
                    throw new IllegalStateException("its discovery document names another issuer");
                }
                insecureEndpoint(metadata).ifPresent(name -> {
                    throw new IllegalStateException("its discovery document's " + name + " is not an https URL (http only on "
                            + "a loopback host): the client secret, codes and tokens would travel in clear text");
                });
                JWKSource<SecurityContext> keys = JWKSourceBuilder.create(metadata.getJWKSetURI().toURL(),
                        new DefaultResourceRetriever(TIMEOUT_MILLIS, TIMEOUT_MILLIS, 512 * 1024)).build();
                Set<JWSAlgorithm> algorithms = new HashSet<>(Optional.ofNullable(metadata.getIDTokenJWSAlgs()).orElse(List.of(JWSAlgorithm.RS256)));
                algorithms.removeIf(a -> !JWSAlgorithm.Family.SIGNATURE.contains(a));
                if (algorithms.isEmpty()) {
                    algorithms.add(JWSAlgorithm.RS256);
                }
                IDTokenValidator validator = new IDTokenValidator(metadata.getIssuer(), new ClientID(settings.clientId()),
                        new JWSVerificationKeySelector<>(algorithms, keys), null);
                validator.setMaxClockSkew(MAX_CLOCK_SKEW_SECONDS);
                discovered = new Discovered(metadata, validator);
                LOG.info("Federated login: read the discovery document of {}", settings.issuer());
                return discovered;
            } catch (GeneralException | IOException | RuntimeException e) {
                lastFailure = clock.instant();
                LOG.warn("Federated login: cannot read the discovery document of {}: {}", settings.issuer(),
                        io.gatehouse.as.federation.LogSafe.text(e.getMessage()));
                throw new Unavailable("the identity provider " + settings.issuer() + " cannot be reached");
            }
        }
    }

    /**
     * The first endpoint of the discovery document Gatehouse would use that is missing (where required) or not
     * https (http only on a loopback host, as the issuer may be): a provider behind a TLS proxy that advertises
     * http URLs, or a tampered document, must not receive the client secret, codes or tokens in clear text.
     */
    private static Optional<String> insecureEndpoint(OIDCProviderMetadata metadata) {
        Map<String, URI> required = new java.util.LinkedHashMap<>();
        required.put("authorization_endpoint", metadata.getAuthorizationEndpointURI());
        required.put("token_endpoint", metadata.getTokenEndpointURI());
        required.put("jwks_uri", metadata.getJWKSetURI());
        for (Map.Entry<String, URI> endpoint : required.entrySet()) {
            if (endpoint.getValue() == null || !secure(endpoint.getValue())) {
                return Optional.of(endpoint.getKey());
            }
        }
        if (metadata.getUserInfoEndpointURI() != null && !secure(metadata.getUserInfoEndpointURI())) {
            return Optional.of("userinfo_endpoint");
        }
        if (metadata.getEndSessionEndpointURI() != null && !secure(metadata.getEndSessionEndpointURI())) {
            return Optional.of("end_session_endpoint");
        }
        return Optional.empty();
    }

    private static boolean secure(URI endpoint) {
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(java.util.Locale.ROOT);
        String host = endpoint.getHost() == null ? "" : endpoint.getHost();
        return scheme.equals("https") && !host.isEmpty() || scheme.equals("http")
                && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]"));
    }

    /** The provider's authorization endpoint with an OpenID authentication request: code, PKCE S256, state, nonce. */
    URI authenticationRequest(URI callback, String state, String nonce, String verifier) throws Unavailable {
        OIDCProviderMetadata metadata = discovered().metadata();
        return new AuthenticationRequest.Builder(new ResponseType(ResponseType.Value.CODE), new Scope(settings.scopes().toArray(String[]::new)),
                new ClientID(settings.clientId()), callback)
                .endpointURI(metadata.getAuthorizationEndpointURI())
                .state(new State(state))
                .nonce(new Nonce(nonce))
                .codeChallenge(new CodeVerifier(verifier), CodeChallengeMethod.S256)
                .build().toURI();
    }

    /** Exchanges the code and validates the ID token it returns against {@code nonce}. */
    SignIn exchange(String code, URI callback, String verifier, String nonce) throws Unavailable, Refused, BadJOSEException, JOSEException {
        OIDCTokenResponse tokens = tokenRequest(new AuthorizationCodeGrant(new AuthorizationCode(code), callback, new CodeVerifier(verifier)));
        JWT idToken = tokens.getOIDCTokens().getIDToken();
        if (idToken == null) {
            throw new BadJOSEException("the token response has no ID token");
        }
        IDTokenClaimsSet claims = discovered().validator().validate(idToken, new Nonce(nonce));
        Tokens oidc = tokens.getOIDCTokens();
        return new SignIn(claims, idToken.serialize(), oidc.getBearerAccessToken(),
                Optional.ofNullable(oidc.getRefreshToken()).map(RefreshToken::getValue));
    }

    /**
     * What a refresh at the provider returned: the rotated refresh token if any, the new ID token (validated like at
     * sign-in, except that it carries no nonce of ours) if any, and the new access token (for userinfo).
     */
    record Refreshed(Optional<String> refreshToken, Optional<IDTokenClaimsSet> idToken, BearerAccessToken accessToken) {
    }

    /** Refreshes at the provider; refused when the login no longer holds, unavailable when its answer cannot be verified. */
    Refreshed refresh(String refreshToken) throws Unavailable, Refused {
        OIDCTokenResponse tokens = tokenRequest(new RefreshTokenGrant(new RefreshToken(refreshToken)));
        JWT idToken = tokens.getOIDCTokens().getIDToken();
        Optional<IDTokenClaimsSet> claims = Optional.empty();
        if (idToken != null) {
            try {
                claims = Optional.of(discovered().validator().validate(idToken, null));
            } catch (BadJOSEException | JOSEException e) {
                LOG.warn("Federated login: the ID token of a refresh at the provider was refused: {}", LogSafe.text(e.getMessage()));
                throw new Unavailable("the identity provider's refreshed ID token could not be verified");
            }
        }
        return new Refreshed(Optional.ofNullable(tokens.getTokens().getRefreshToken()).map(RefreshToken::getValue), claims,
                tokens.getOIDCTokens().getBearerAccessToken());
    }

    private OIDCTokenResponse tokenRequest(AuthorizationGrant grant) throws Unavailable, Refused {
        OIDCProviderMetadata metadata = discovered().metadata();
        URI endpoint = metadata.getTokenEndpointURI();
        HTTPRequest request = new TokenRequest(endpoint, clientAuthentication(endpoint), grant, null).toHTTPRequest();
        TokenResponse response;
        try {
            response = OIDCTokenResponseParser.parse(http.send(request));
        } catch (IOException | ParseException e) {
            throw new Unavailable("the identity provider's token endpoint did not answer usably");
        }
        if (response instanceof TokenErrorResponse error) {
            throw new Refused(error.getErrorObject() == null ? new ErrorObject("server_error") : error.getErrorObject());
        }
        if (!(response instanceof OIDCTokenResponse ok)) {
            throw new Unavailable("the identity provider's token endpoint answered no OpenID token response");
        }
        return ok;
    }

    private ClientAuthentication clientAuthentication(URI tokenEndpoint) throws Unavailable {
        ClientID id = new ClientID(settings.clientId());
        return switch (settings.clientAuthentication()) {
            case io.gatehouse.as.federation.ClientAuthentication.SharedSecret shared -> shared.method().equals("client_secret_post")
                    ? new ClientSecretPost(id, new Secret(shared.secret())) : new ClientSecretBasic(id, new Secret(shared.secret()));
            case io.gatehouse.as.federation.ClientAuthentication.PrivateKeyJwt ignored -> {
                try {
                    yield new PrivateKeyJWT(id, tokenEndpoint, JWSAlgorithm.RS256, clientKey.privateKey(), clientKey.keyId(), null);
                } catch (JOSEException e) {
                    throw new Unavailable("cannot sign the client assertion");
                }
            }
        };
    }

    /** The provider's userinfo claims, when it has the endpoint; empty when it has none or does not answer. */
    Optional<Map<String, Object>> userInfo(BearerAccessToken accessToken) {
        try {
            URI endpoint = discovered().metadata().getUserInfoEndpointURI();
            if (endpoint == null || accessToken == null) {
                return Optional.empty();
            }
            HTTPRequest request = new UserInfoRequest(endpoint, accessToken).toHTTPRequest();
            UserInfoResponse response = UserInfoResponse.parse(http.send(request));
            if (!response.indicatesSuccess()) {
                return Optional.empty();
            }
            return Optional.of(response.toSuccessResponse().getUserInfo().toJSONObject());
        } catch (Unavailable | IOException | ParseException | RuntimeException e) {
            LOG.info("Federated login: no userinfo from {}: {}", settings.issuer(), LogSafe.text(e.getMessage()));
            return Optional.empty();
        }
    }

    /** The provider's end-session endpoint (RP-initiated logout), when it advertises one. */
    Optional<URI> endSessionEndpoint() {
        try {
            return Optional.ofNullable(discovered().metadata().getEndSessionEndpointURI());
        } catch (Unavailable e) {
            return Optional.empty();
        }
    }
}
