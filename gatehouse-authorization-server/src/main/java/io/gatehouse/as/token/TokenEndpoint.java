package io.gatehouse.as.token;

import io.gatehouse.as.web.AsJson;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import io.gatehouse.as.AsSettings;
import io.gatehouse.as.clients.ClientAuthenticator;
import io.gatehouse.as.clients.RegisteredClient;
import io.gatehouse.as.clients.Secrets;
import io.gatehouse.as.web.AsRequest;
import io.gatehouse.as.web.AsResponse;
import io.gatehouse.as.web.NimbusRequests;
import io.gatehouse.as.web.OAuthErrors;
import io.gatehouse.as.web.OAuthException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import net.minidev.json.JSONObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token endpoint (RFC 6749 section 3.2, OAuth 2.1): {@code authorization_code} with PKCE S256,
 * {@code refresh_token} with rotation and reuse detection, {@code client_credentials} for confidential
 * clients. Responses are {@code no-store} (AS-15).
 */
public final class TokenEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(TokenEndpoint.class);

    private final AsSettings settings;
    private final ClientAuthenticator clients;
    private final TokenState state;
    private final AccessTokens accessTokens;
    private final ResourceIndicators resources;

    public TokenEndpoint(AsSettings settings, ClientAuthenticator clients, TokenState state, AccessTokens accessTokens,
                         ResourceIndicators resources) {
        this.settings = settings;
        this.clients = clients;
        this.state = state;
        this.accessTokens = accessTokens;
        this.resources = resources;
    }

    public AsResponse handle(AsRequest request, URI url) {
        try {
            TokenRequest tokenRequest = TokenRequest.parse(NimbusRequests.post(request, url));
            RegisteredClient client = clients.authenticate(tokenRequest.getClientAuthentication(),
                    Optional.ofNullable(tokenRequest.getClientID()));
            AuthorizationGrant grant = tokenRequest.getAuthorizationGrant();
            if (!client.grantTypes().contains(grant.getType().getValue())) {
                throw new OAuthException(OAuth2Error.UNAUTHORIZED_CLIENT, "This client may not use " + grant.getType());
            }
            List<URI> requested = tokenRequest.getResources();
            return switch (grant) {
                case AuthorizationCodeGrant code -> authorizationCode(client, code, requested);
                case RefreshTokenGrant refresh -> refresh(client, refresh, tokenRequest.getScope(), requested);
                case ClientCredentialsGrant ignored -> clientCredentials(client, tokenRequest.getScope(), requested);
                default -> throw new OAuthException(OAuth2Error.UNSUPPORTED_GRANT_TYPE, "Unsupported grant type " + grant.getType());
            };
        } catch (ParseException e) {
            return OAuthErrors.json(e.getErrorObject() != null ? e.getErrorObject() : OAuth2Error.INVALID_REQUEST.setDescription(e.getMessage()));
        } catch (OAuthException e) {
            LOG.info("Token request refused: {}", e.getMessage());
            return OAuthErrors.json(e.error());
        }
    }

    private AsResponse authorizationCode(RegisteredClient client, AuthorizationCodeGrant grant, List<URI> requested) {
        AuthorizationCode code = state.consumeCode(grant.getAuthorizationCode().getValue())
                .orElseThrow(() -> invalidGrant("The authorization code is invalid, expired or already used"));
        if (!code.grant().clientId().equals(client.clientId())) {
            state.revokeFamily(code.grant().familyId());
            throw invalidGrant("The authorization code was issued to another client");
        }
        if (!code.redirectUri().equals(grant.getRedirectionURI())) {
            throw invalidGrant("redirect_uri does not match the authorization request");
        }
        if (grant.getCodeVerifier() == null) {
            throw invalidGrant("code_verifier is required (PKCE)");
        }
        String computed = CodeChallenge.compute(CodeChallengeMethod.S256, grant.getCodeVerifier()).getValue();
        if (!MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII), code.codeChallenge().getBytes(StandardCharsets.US_ASCII))) {
            throw invalidGrant("code_verifier does not match the code_challenge");
        }
        resources.select(requested, Optional.of(code.grant().resource()));
        return issue(client, code.grant());
    }

    private AsResponse refresh(RegisteredClient client, RefreshTokenGrant grant, Scope scope, List<URI> requested) {
        String presented = grant.getRefreshToken().getValue();
        Grant original = state.refreshTokenGrant(presented)
                .orElseThrow(() -> invalidGrant("The refresh token is invalid, expired, revoked or already used"));
        if (!original.clientId().equals(client.clientId())) {
            state.revokeFamily(original.familyId());
            throw invalidGrant("The refresh token was issued to another client");
        }
        // a refused request must not burn the token: check everything before spending it
        resources.select(requested, Optional.of(original.resource()));
        Grant next = original;
        if (scope != null && !scope.isEmpty()) {
            Set<String> asked = new LinkedHashSet<>(scope.toStringList());
            if (!original.scopes().containsAll(asked)) {
                throw new OAuthException(OAuth2Error.INVALID_SCOPE, "A refresh may narrow the scope but never widen it");
            }
            next = original.withScopes(asked);
        }
        if (state.spendRefreshToken(presented).isEmpty()) {
            throw invalidGrant("The refresh token is invalid, expired, revoked or already used");
        }
        return issue(client, next);
    }

    private AsResponse clientCredentials(RegisteredClient client, Scope scope, List<URI> requested) {
        if (client.isPublic()) {
            throw new OAuthException(OAuth2Error.UNAUTHORIZED_CLIENT, "client_credentials needs a confidential client");
        }
        Set<String> asked = scope == null ? new LinkedHashSet<>(client.allowedScopes()) : new LinkedHashSet<>(scope.toStringList());
        asked.retainAll(settings.scopesSupported());
        if (!client.allowedScopes().isEmpty() && !client.allowedScopes().containsAll(asked)) {
            throw new OAuthException(OAuth2Error.INVALID_SCOPE, "The client may not request " + asked);
        }
        URI resource = resources.select(requested, Optional.empty());
        return issue(client, new Grant(Secrets.random(16), client.clientId(), client.clientId(), client.clientId(),
                Set.of(), asked, resource));
    }

    private AsResponse issue(RegisteredClient client, Grant grant) {
        AccessTokens.Issued access = accessTokens.issue(grant);
        state.recordAccessToken(grant.familyId(), access.jti(), access.expiresAt());
        JSONObject body = new JSONObject();
        body.put("access_token", access.token());
        body.put("token_type", "Bearer");
        body.put("expires_in", access.lifetime().toSeconds());
        body.put("scope", String.join(" ", new TreeSet<>(grant.scopes())));
        if (client.grantTypes().contains(GrantType.REFRESH_TOKEN.getValue()) && !grant.subject().equals(client.clientId())) {
            body.put("refresh_token", state.issueRefreshToken(grant, settings.refreshTokenTtl()));
        }
        LOG.info("Issued an access token to client {} for {} (scopes {})", client.clientId(), grant.username(), grant.scopes());
        return AsResponse.json(200, AsJson.write(body)).withHeader("Pragma", "no-cache");
    }

    private static OAuthException invalidGrant(String description) {
        return new OAuthException(OAuth2Error.INVALID_GRANT, description);
    }
}
