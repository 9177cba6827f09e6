package io.gatehouse.rs.token;

import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.io.IOException;
import java.net.URI;

/**
 * Finds an issuer's JWKS URL from its published metadata: OpenID Connect discovery, then RFC 8414. Nimbus
 * checks that the document's {@code issuer} equals the one asked for (AS-03).
 */
public final class IssuerDiscovery {

    private IssuerDiscovery() {
    }

    public static URI jwksUri(String issuer) {
        Issuer id = new Issuer(issuer);
        try {
            URI uri = OIDCProviderMetadata.resolve(id, 5_000, 5_000).getJWKSetURI();
            if (uri != null) {
                return uri;
            }
        } catch (GeneralException | IOException e) {
            // not an OpenID provider, or not reachable by that path: try RFC 8414 next
        }
        try {
            URI uri = AuthorizationServerMetadata.resolve(id, 5_000, 5_000).getJWKSetURI();
            if (uri != null) {
                return uri;
            }
            throw new IllegalStateException("the metadata of " + issuer + " has no jwks_uri");
        } catch (GeneralException | IOException e) {
            throw new IllegalStateException("cannot read the metadata of " + issuer + ": " + e.getMessage(), e);
        }
    }
}
