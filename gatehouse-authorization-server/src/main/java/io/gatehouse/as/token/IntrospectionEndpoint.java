package io.gatehouse.as.token;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import io.gatehouse.as.clients.ClientAuthenticator;
import io.gatehouse.as.clients.RegisteredClient;
import io.gatehouse.as.web.AsJson;
import io.gatehouse.as.web.AsRequest;
import io.gatehouse.as.web.AsResponse;
import io.gatehouse.as.web.NimbusRequests;
import io.gatehouse.as.web.OAuthErrors;
import io.gatehouse.as.web.OAuthException;
import java.net.URI;
import java.util.Optional;
import java.util.Set;
import net.minidev.json.JSONObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 7662 token introspection, for resource servers only (SEC10-7). RFC 7662 section 4 requires the caller to
 * authenticate and lets the server decide who may introspect; here that is a confidential client the operator
 * configured with {@code introspection: true}.
 * <ul>
 *   <li>No or wrong client authentication: {@code 401 invalid_client} (RFC 7662 section 2.3, RFC 6749 section
 *       5.2).</li>
 *   <li>An authenticated client that is not such a resource server: {@code 403 unauthorized_client}. It is refused
 *       before the token is looked at, so it learns nothing about any token. A refusal rather than
 *       {@code {"active":false}} (which section 2.2 prescribes for a token a caller may not see) because this caller
 *       may see no token at all, and a resource server configured by mistake should be told so instead of seeing
 *       every token as inactive.</li>
 * </ul>
 */
public final class IntrospectionEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(IntrospectionEndpoint.class);
    private static final ErrorObject NOT_A_RESOURCE_SERVER = new ErrorObject("unauthorized_client",
            "This client may not introspect tokens: only resource servers the operator configured may", 403);

    private final ClientAuthenticator clients;
    private final TokenInspector inspector;

    public IntrospectionEndpoint(ClientAuthenticator clients, TokenInspector inspector) {
        this.clients = clients;
        this.inspector = inspector;
    }

    public AsResponse handle(AsRequest request, URI url) {
        try {
            ClientAuthenticator.requireOneMethod(request);
            TokenIntrospectionRequest introspection = NimbusRequests.parse(request, url, Set.of(), TokenIntrospectionRequest::parse);
            if (introspection.getClientAuthentication() == null) {
                throw new OAuthException(OAuth2Error.INVALID_CLIENT, "Introspection needs client authentication");
            }
            RegisteredClient caller = clients.authenticate(introspection.getClientAuthentication(), Optional.empty(), request.remoteAddress());
            if (!caller.introspection() || !caller.origin().operatorApproved()) {
                LOG.warn("Refused introspection to client {}: it is not a configured resource server", caller.clientId());
                return OAuthErrors.json(NOT_A_RESOURCE_SERVER);
            }
            JSONObject body = new JSONObject();
            Optional<TokenInspector.Inspected> live = inspector.inspect(introspection.getToken().getValue());
            body.put("active", live.isPresent());
            live.ifPresent(t -> {
                body.putAll(t.claims().toJSONObject());
                body.put("token_type", "Bearer");
            });
            return AsResponse.json(200, AsJson.write(body));
        } catch (OAuthException e) {
            return OAuthErrors.json(e.error());
        }
    }
}
