package io.gatehouse.as.token;

import io.gatehouse.as.web.AsJson;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import io.gatehouse.as.AsMetrics;
import io.gatehouse.as.AsSettings;
import io.gatehouse.as.clients.ClientAuthenticator;
import io.gatehouse.as.clients.RegisteredClient;
import io.gatehouse.as.clients.Secrets;
import io.gatehouse.as.users.User;
import io.gatehouse.as.users.UserDirectory;
import io.gatehouse.as.web.AsRequest;
import io.gatehouse.as.web.AsResponse;
import io.gatehouse.as.web.NimbusRequests;
import io.gatehouse.as.web.OAuthErrors;
import io.gatehouse.as.web.OAuthException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
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
 * {@code refresh_token} with rotation and reuse detection, {@code client_credentials} for confidential clients
 * the operator configured, and RFC 8693 token exchange ({@link TokenExchange}) for confidential clients the operator
 * configured with downstream audiences. Responses are {@code no-store} (AS-15).
 *
 * <p>A token for a user always reflects what that user holds now: when a code is redeemed or a refresh token
 * used, the user is looked up again; one who is gone or disabled gets {@code invalid_grant} (and the family is
 * revoked), and roles and scopes are cut to what the user and the client may still have. A family of refresh
 * tokens ends {@code refresh-token-max-lifetime} after the user's authorization, however often it is rotated.
 */
public final class TokenEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(TokenEndpoint.class);
    /** RFC 8707 lets {@code resource} repeat (and {@link ResourceIndicators} then refuses more than one). */
    private static final Set<String> REPEATABLE = Set.of("resource", "audience");

    private final AsSettings settings;
    private final ClientAuthenticator clients;
    private final TokenState state;
    private final AccessTokens accessTokens;
    private final ResourceIndicators resources;
    private final UserDirectory users;
    private final AsMetrics metrics;
    private final TokenExchange exchange;

    /**
     * @param exchange the token exchange grant's implementation (shared with the in-process call)
     * @param metrics  where issued tokens are counted by grant type
     */
    public TokenEndpoint(AsSettings settings, ClientAuthenticator clients, TokenState state, AccessTokens accessTokens,
                         ResourceIndicators resources, UserDirectory users, TokenExchange exchange, AsMetrics metrics) {
        this.metrics = metrics;
        this.settings = settings;
        this.clients = clients;
        this.state = state;
        this.accessTokens = accessTokens;
        this.resources = resources;
        this.users = users;
        this.exchange = exchange;
    }

    public AsResponse handle(AsRequest request, URI url) {
        try {
            ClientAuthenticator.requireOneMethod(request);
            TokenRequest tokenRequest = NimbusRequests.parse(request, url, REPEATABLE, TokenRequest::parse);
            RegisteredClient client = clients.authenticate(tokenRequest.getClientAuthentication(),
                    Optional.ofNullable(tokenRequest.getClientID()), request.remoteAddress());
            AuthorizationGrant grant = tokenRequest.getAuthorizationGrant();
            if (!client.grantTypes().contains(grant.getType().getValue())) {
                throw new OAuthException(OAuth2Error.UNAUTHORIZED_CLIENT, "This client may not use the " + grant.getType() + " grant");
            }
            List<URI> requested = tokenRequest.getResources();
            return switch (grant) {
                case AuthorizationCodeGrant code -> authorizationCode(client, code, requested);
                case RefreshTokenGrant refresh -> refresh(client, refresh, tokenRequest.getScope(), requested);
                case ClientCredentialsGrant ignored -> clientCredentials(client, tokenRequest.getScope(), requested);
                case TokenExchangeGrant exchangeGrant -> tokenExchange(client, exchangeGrant, tokenRequest.getScope(), requested);
                default -> throw new OAuthException(OAuth2Error.UNSUPPORTED_GRANT_TYPE, "Unsupported grant type");
            };
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
        // RFC 6749 section 4.1.3: required (and identical) if the authorization request included it
        URI presented = grant.getRedirectionURI();
        if ((code.redirectUriInRequest() || presented != null) && !code.redirectUri().equals(presented)) {
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
        return issue(client, asTheUserIsNow(client, code.grant()), true, "authorization_code");
    }

    private AsResponse refresh(RegisteredClient client, RefreshTokenGrant grant, Scope scope, List<URI> requested) {
        String presented = grant.getRefreshToken().getValue();
        Grant original = state.refreshTokenGrant(presented)
                .orElseThrow(() -> invalidGrant("The refresh token is invalid, expired, revoked or already used"));
        if (!original.clientId().equals(client.clientId())) {
            state.revokeFamily(original.familyId());
            throw invalidGrant("The refresh token was issued to another client");
        }
        if (state.outlived(original, settings.refreshTokenMaxLifetime())) {
            throw invalidGrant("The refresh token's family reached its maximum lifetime: sign in again");
        }
        // a refused request must not burn the token: check everything before spending it
        resources.select(requested, Optional.of(original.resource()));
        if (scope != null && !scope.isEmpty() && !original.scopes().containsAll(scope.toStringList())) {
            throw new OAuthException(OAuth2Error.INVALID_SCOPE, "A refresh may narrow the scope but never widen it");
        }
        Grant next = asTheUserIsNow(client, original);
        if (scope != null && !scope.isEmpty()) {
            Set<String> asked = new LinkedHashSet<>(scope.toStringList());
            asked.retainAll(next.scopes());
            next = next.withScopes(asked);
        }
        if (state.spendRefreshToken(presented).isEmpty()) {
            throw invalidGrant("The refresh token is invalid, expired, revoked or already used");
        }
        return issue(client, next, true, "refresh_token");
    }

    /**
     * The grant cut to what its user holds now (the roles they still have, the scopes they and the client may still
     * be granted). A user who is gone or disabled ends the family.
     */
    private Grant asTheUserIsNow(RegisteredClient client, Grant grant) {
        Optional<User> user = users.find(grant.username());
        if (user.isEmpty()) {
            state.revokeFamily(grant.familyId());
            LOG.info("Refused a token for client {}: user {} no longer exists or is disabled; its tokens are revoked",
                    client.clientId(), grant.username());
            throw invalidGrant("The grant is no longer valid: sign in again");
        }
        Set<String> roles = new LinkedHashSet<>(grant.roles());
        roles.retainAll(user.get().roles());
        Set<String> scopes = new LinkedHashSet<>(grant.scopes());
        scopes.removeIf(s -> !user.get().mayHave(s) || !client.mayHave(s) || !settings.scopesSupported().contains(s));
        return grant.withRoles(roles).withScopes(scopes);
    }

    /**
     * RFC 6749 section 4.4, for machines the operator configured (SEC10-1): a client that registered itself or is
     * described by a metadata document never gets a token of its own, and a client gets only the scopes the
     * operator gave it. No scopes given means none, never all.
     */
    private AsResponse clientCredentials(RegisteredClient client, Scope scope, List<URI> requested) {
        if (!client.origin().operatorApproved()) {
            LOG.warn("Refused client_credentials to client {}: it was not configured by the operator ({})", client.clientId(),
                    client.origin().storedValue());
            throw new OAuthException(OAuth2Error.UNAUTHORIZED_CLIENT, "client_credentials is only for clients the operator configured");
        }
        if (client.isPublic()) {
            throw new OAuthException(OAuth2Error.UNAUTHORIZED_CLIENT, "client_credentials needs a confidential client");
        }
        Set<String> allowed = client.scopesWithin(settings.scopesSupported());
        Set<String> granted = scope == null || scope.isEmpty() ? allowed : new LinkedHashSet<>(scope.toStringList());
        if (!allowed.containsAll(granted)) {
            throw new OAuthException(OAuth2Error.INVALID_SCOPE, "The client may request only the scopes the operator gave it");
        }
        if (granted.isEmpty()) {
            throw new OAuthException(OAuth2Error.INVALID_SCOPE, "The operator gave this client no scopes");
        }
        URI resource = resources.select(requested, Optional.empty());
        return issue(client, new Grant(Secrets.random(16), client.clientId(), client.clientId(), client.clientId(),
                Set.of(), granted, resource, state.now()), false, "client_credentials");
    }

    /**
     * RFC 8693: an actor token and a requested token type other than an access token are not supported; the rest is
     * {@link TokenExchange}'s. The answer has {@code issued_token_type} and never a refresh token.
     */
    private AsResponse tokenExchange(RegisteredClient client, TokenExchangeGrant grant, Scope scope, List<URI> requested) {
        if (grant.getActorToken() != null) {
            throw new OAuthException(OAuth2Error.INVALID_REQUEST, "actor_token is not supported: the authenticated client is the actor");
        }
        if (grant.getRequestedTokenType() != null && !grant.getRequestedTokenType().equals(TokenTypeURI.ACCESS_TOKEN)) {
            throw new OAuthException(OAuth2Error.INVALID_REQUEST, "Only access tokens are issued (requested_token_type)");
        }
        List<String> targets = new ArrayList<>();
        if (requested != null) {
            requested.forEach(uri -> targets.add(uri.toString()));
        }
        if (grant.getAudience() != null) {
            grant.getAudience().forEach(audience -> targets.add(audience.getValue()));
        }
        TokenExchange.Exchanged issued = exchange.exchange(client, grant.getSubjectTokenType().getURI().toString(),
                grant.getSubjectToken().getValue(), targets, scope == null ? Set.of() : new LinkedHashSet<>(scope.toStringList()));
        JSONObject body = new JSONObject();
        body.put("access_token", issued.accessToken());
        body.put("issued_token_type", TokenExchange.ACCESS_TOKEN_TYPE);
        body.put("token_type", "Bearer");
        body.put("expires_in", issued.lifetime().toSeconds());
        body.put("scope", String.join(" ", new TreeSet<>(issued.scopes())));
        return AsResponse.json(200, AsJson.write(body)).withHeader("Pragma", "no-cache");
    }

    private AsResponse issue(RegisteredClient client, Grant grant, boolean forUser, String grantType) {
        AccessTokens.Issued access = accessTokens.issue(grant);
        state.recordAccessToken(grant.familyId(), access.jti(), access.expiresAt());
        JSONObject body = new JSONObject();
        body.put("access_token", access.token());
        body.put("token_type", "Bearer");
        body.put("expires_in", access.lifetime().toSeconds());
        body.put("scope", String.join(" ", new TreeSet<>(grant.scopes())));
        if (forUser && client.grantTypes().contains(GrantType.REFRESH_TOKEN.getValue())) {
            state.issueRefreshToken(grant, settings.refreshTokenTtl(), settings.refreshTokenMaxLifetime())
                    .ifPresent(token -> body.put("refresh_token", token));
        }
        metrics.tokenIssued(grantType);
        LOG.info("Issued an access token to client {} for {} (scopes {})", client.clientId(), grant.username(), grant.scopes());
        return AsResponse.json(200, AsJson.write(body)).withHeader("Pragma", "no-cache");
    }

    private static OAuthException invalidGrant(String description) {
        return new OAuthException(OAuth2Error.INVALID_GRANT, description);
    }
}
