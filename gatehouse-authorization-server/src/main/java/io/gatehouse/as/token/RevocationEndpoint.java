package io.gatehouse.as.token;

import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import io.gatehouse.as.clients.ClientAuthenticator;
import io.gatehouse.as.clients.RegisteredClient;
import io.gatehouse.as.web.AsRequest;
import io.gatehouse.as.web.AsResponse;
import io.gatehouse.as.web.NimbusRequests;
import io.gatehouse.as.web.OAuthErrors;
import io.gatehouse.as.web.OAuthException;
import java.net.URI;
import java.util.Optional;
import java.util.Set;

/**
 * RFC 7009 token revocation. A client may revoke only tokens issued to it (section 2.1): a refresh token revokes
 * its whole family (and the access tokens issued in it); an access token is revoked by its id. The
 * {@code token_type_hint} only decides what is looked up first (section 2.1 asks the server to look further when
 * it is wrong). Unknown tokens, and other clients' tokens, are answered 200 like known ones, as the RFC asks.
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
            ClientAuthenticator.requireOneMethod(request);
            TokenRevocationRequest revocation = NimbusRequests.parse(request, url, Set.of(), TokenRevocationRequest::parse);
            RegisteredClient client = clients.authenticate(revocation.getClientAuthentication(),
                    Optional.ofNullable(revocation.getClientID()), request.remoteAddress());
            String token = revocation.getToken().getValue();
            Optional<Grant> family = state.refreshTokenGrant(token);
            if (family.isPresent()) {
                family.filter(g -> g.clientId().equals(client.clientId())).ifPresent(g -> state.revokeFamily(g.familyId()));
            } else {
                inspector.inspect(token).filter(t -> t.clientId().equals(client.clientId()))
                        .ifPresent(t -> state.revokeAccessToken(t.jti(), t.expiresAt()));
            }
            return AsResponse.json(200, "{}");
        } catch (OAuthException e) {
            return OAuthErrors.json(e.error());
        }
    }
}
