package io.gatehouse.as.token;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import io.gatehouse.as.clients.ClientAuthenticator;
import io.gatehouse.as.clients.RegisteredClient;
import io.gatehouse.as.web.AsRequest;
import io.gatehouse.as.web.AsResponse;
import io.gatehouse.as.web.NimbusRequests;
import io.gatehouse.as.web.OAuthErrors;
import io.gatehouse.as.web.OAuthException;
import java.net.URI;
import java.util.Optional;

/**
 * RFC 7009 token revocation. A refresh token revokes its whole family (and the access tokens issued in it); an
 * access token is revoked by its id. Unknown tokens are answered 200 like known ones, as the RFC asks.
 */
public final class RevocationEndpoint {

    private final ClientAuthenticator clients;
    private final TokenState state;
    private final TokenInspector inspector;

    public RevocationEndpoint(ClientAuthenticator clients, TokenState state, TokenInspector inspector) {
        this.clients = clients;
        this.state = state;
        this.inspector = inspector;
    }

    public AsResponse handle(AsRequest request, URI url) {
        try {
            TokenRevocationRequest revocation = TokenRevocationRequest.parse(NimbusRequests.post(request, url));
            RegisteredClient client = clients.authenticate(revocation.getClientAuthentication(),
                    Optional.ofNullable(revocation.getClientID()));
            String token = revocation.getToken().getValue();
            if (revocation.getToken() instanceof RefreshToken || state.refreshTokenGrant(token).isPresent()) {
                state.refreshTokenGrant(token).filter(g -> g.clientId().equals(client.clientId()))
                        .ifPresent(g -> state.revokeFamily(g.familyId()));
            } else {
                inspector.inspect(token).filter(t -> t.clientId().equals(client.clientId()))
                        .ifPresent(t -> state.revokeAccessToken(t.jti(), t.expiresAt()));
            }
            return AsResponse.json(200, "{}");
        } catch (ParseException e) {
            return OAuthErrors.json(e.getErrorObject());
        } catch (OAuthException e) {
            return OAuthErrors.json(e.error());
        }
    }
}
