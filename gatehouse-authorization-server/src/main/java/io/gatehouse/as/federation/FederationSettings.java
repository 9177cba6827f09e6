package io.gatehouse.as.federation;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Federated login: the embedded authorization server sends the browser to an upstream OpenID provider to sign in,
 * instead of its own login form, and keeps issuing its own tokens (the config file's {@code login:} section).
 *
 * @param issuer               the upstream provider's issuer, exactly (its discovery document is
 *                             {@code <issuer>/.well-known/openid-configuration})
 * @param clientId             Gatehouse's own confidential client at the provider
 * @param clientAuthentication how Gatehouse authenticates at the provider's token endpoint
 * @param scopes               the scopes requested at the provider ({@code openid} among them)
 * @param claims               which upstream claims hold the username, e-mail and roles
 * @param refreshCheckInterval at most this long passes between two checks, at a refresh, that the upstream login
 *                             still holds
 */
public record FederationSettings(URI issuer, String clientId, ClientAuthentication clientAuthentication, List<String> scopes,
                                 ClaimMapping claims, Duration refreshCheckInterval) {

    /** The scopes requested when none are configured. */
    public static final List<String> DEFAULT_SCOPES = List.of("openid", "profile", "email");

    public FederationSettings {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(clientAuthentication, "clientAuthentication");
        Objects.requireNonNull(claims, "claims");
        scopes = List.copyOf(scopes);
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("federated login needs Gatehouse's client id at the provider");
        }
        if (!scopes.contains("openid")) {
            throw new IllegalArgumentException("federated login needs the scope openid");
        }
        if (refreshCheckInterval.isNegative() || refreshCheckInterval.isZero()) {
            throw new IllegalArgumentException("the refresh check interval must be positive");
        }
    }
}
