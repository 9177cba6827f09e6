package io.gatehouse.rs.token;

import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Finds an issuer's JWKS URL from its published metadata: OpenID Connect discovery, then RFC 8414. The document's
 * {@code issuer} must equal the one asked for (AS-03). Documents are read by the caller's retriever, so its
 * timeouts and size limit apply; an unreachable provider is not asked a second time for the RFC 8414 document.
 */
final class IssuerDiscovery {

    private IssuerDiscovery() {
    }

    static URI jwksUri(String issuer, ResourceRetriever retriever) throws IOException {
        Issuer id = new Issuer(issuer);
        try {
            OIDCProviderMetadata oidc = OIDCProviderMetadata.parse(retriever.retrieveResource(OIDCProviderMetadata.resolveURL(id)).getContent());
            if (id.equals(oidc.getIssuer()) && oidc.getJWKSetURI() != null) {
                return oidc.getJWKSetURI();
            }
        } catch (SocketTimeoutException | ConnectException | UnknownHostException e) {
            throw e;
        } catch (GeneralException | IOException | RuntimeException e) {
            // not an OpenID provider, or not by that path: try RFC 8414 next
        }
        try {
            AuthorizationServerMetadata as = AuthorizationServerMetadata.parse(
                    retriever.retrieveResource(AuthorizationServerMetadata.resolveURL(id)).getContent());
            if (!id.equals(as.getIssuer())) {
                throw new IOException("the metadata of " + issuer + " names another issuer");
            }
            if (as.getJWKSetURI() == null) {
                throw new IOException("the metadata of " + issuer + " has no jwks_uri");
            }
            return as.getJWKSetURI();
        } catch (ParseException e) {
            throw new IOException("the metadata of " + issuer + " cannot be read: " + e.getMessage(), e);
        } catch (GeneralException e) {
            throw new IOException("no metadata URL for " + issuer + ": " + e.getMessage(), e);
        }
    }
}
