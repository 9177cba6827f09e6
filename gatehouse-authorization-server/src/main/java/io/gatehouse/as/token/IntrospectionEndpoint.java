package io.gatehouse.as.token;

import io.gatehouse.as.web.AsJson;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import io.gatehouse.as.clients.ClientAuthenticator;
import io.gatehouse.as.web.AsRequest;
import io.gatehouse.as.web.AsResponse;
import io.gatehouse.as.web.NimbusRequests;
import io.gatehouse.as.web.OAuthErrors;
import io.gatehouse.as.web.OAuthException;
import java.net.URI;
import java.util.Optional;
import net.minidev.json.JSONObject;

/** RFC 7662 token introspection, for other resource servers; callers authenticate as confidential clients. */
public final class IntrospectionEndpoint {

    private final ClientAuthenticator clients;
    private final TokenInspector inspector;

    public IntrospectionEndpoint(ClientAuthenticator clients, TokenInspector inspector) {
        this.clients = clients;
        this.inspector = inspector;
    }

    public AsResponse handle(AsRequest request, URI url) {
        try {
            TokenIntrospectionRequest introspection = TokenIntrospectionRequest.parse(NimbusRequests.post(request, url));
            if (introspection.getClientAuthentication() == null) {
                throw new OAuthException(OAuth2Error.INVALID_CLIENT, "Introspection needs client authentication");
            }
            clients.authenticate(introspection.getClientAuthentication(), Optional.empty());
            JSONObject body = new JSONObject();
            Optional<TokenInspector.Inspected> live = inspector.inspect(introspection.getToken().getValue());
            body.put("active", live.isPresent());
            live.ifPresent(t -> {
                body.putAll(t.claims().toJSONObject());
                body.put("token_type", "Bearer");
            });
            return AsResponse.json(200, AsJson.write(body));
        } catch (ParseException e) {
            return OAuthErrors.json(e.getErrorObject());
        } catch (OAuthException e) {
            return OAuthErrors.json(e.error());
        }
    }
}
