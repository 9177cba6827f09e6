package io.gatehouse.client.oauth;

import java.time.Duration;
import java.util.Optional;

/**
 * How the client registers and authorizes.
 *
 * @param clientId          a pre-registered client id (first in the registration priority, CL-06)
 * @param clientSecret      its secret, for a confidential pre-registered client
 * @param clientMetadataUrl an https client ID metadata document URL (second in priority, when the AS supports it)
 * @param scope             scopes to request instead of the challenge's or the metadata's
 * @param sendResource      send RFC 8707 {@code resource} on both legs (opt out for providers that reject it)
 * @param clientCredentials use the client credentials grant (machine use) instead of a user login
 * @param opener            how the authorization URL reaches the user
 * @param timeout           how long to wait for the authorization response
 * @param clientName        the name shown on consent pages when registering
 */
public record ClientOptions(Optional<String> clientId, Optional<String> clientSecret, Optional<String> clientMetadataUrl,
                            Optional<String> scope, boolean sendResource, boolean clientCredentials, UrlOpener opener,
                            Duration timeout, String clientName) {
}
