package io.gatehouse.as;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The embedded authorization server's settings.
 *
 * @param issuer             the issuer identifier, exactly as published (AS-03)
 * @param resources          resource indicators (RFC 8707) this server issues tokens for; the first is the default
 * @param scopesSupported    scopes clients may request
 * @param accessTokenTtl     lifetime of access tokens (short: AS-12)
 * @param refreshTokenTtl    lifetime of a refresh token family
 * @param codeTtl            lifetime of an authorization code
 * @param dynamicRegistration whether RFC 7591 registration at the registration endpoint is open
 * @param initialAccessToken when present, registration needs {@code Authorization: Bearer <it>} (closed registration)
 * @param secureCookies      mark browser cookies {@code Secure} (true when the issuer is https)
 * @param clientMetadataDocuments accept https client ids naming client ID metadata documents (AS-06)
 * @param metadataDocumentsOnLoopback fetch such documents from loopback over http too (local development only)
 * @param signingKeyLifetime age at which the signing key is replaced (the old one stays published until its tokens expire)
 * @param refreshTokenMaxLifetime absolute lifetime of a refresh token family: rotation never extends it past the
 *                           user's authorization plus this
 * @param resourceName       the MCP server's name, shown on the consent page beside its URL (the {@code resource_name}
 *                           of its protected resource metadata)
 * @param scopeDescriptions  what each scope allows, in words, for the consent and account pages
 * @param tokenExchangeLifetime lifetime of a token issued by token exchange (RFC 8693): short, and never past the
 *                           subject token's own expiry
 */
public record AsSettings(URI issuer, List<URI> resources, List<String> scopesSupported, Duration accessTokenTtl,
                         Duration refreshTokenTtl, Duration codeTtl, boolean dynamicRegistration,
                         Optional<String> initialAccessToken, boolean secureCookies, boolean clientMetadataDocuments,
                         boolean metadataDocumentsOnLoopback, Duration signingKeyLifetime, Duration refreshTokenMaxLifetime,
                         String resourceName, ScopeDescriptions scopeDescriptions, Duration tokenExchangeLifetime) {

    /** The lifetime of exchanged tokens when none is given. */
    public static final Duration DEFAULT_TOKEN_EXCHANGE_LIFETIME = Duration.ofMinutes(5);

    /** Settings whose exchanged tokens live {@link #DEFAULT_TOKEN_EXCHANGE_LIFETIME}. */
    public AsSettings(URI issuer, List<URI> resources, List<String> scopesSupported, Duration accessTokenTtl,
                      Duration refreshTokenTtl, Duration codeTtl, boolean dynamicRegistration, Optional<String> initialAccessToken,
                      boolean secureCookies, boolean clientMetadataDocuments, boolean metadataDocumentsOnLoopback,
                      Duration signingKeyLifetime, Duration refreshTokenMaxLifetime, String resourceName,
                      ScopeDescriptions scopeDescriptions) {
        this(issuer, resources, scopesSupported, accessTokenTtl, refreshTokenTtl, codeTtl, dynamicRegistration, initialAccessToken,
                secureCookies, clientMetadataDocuments, metadataDocumentsOnLoopback, signingKeyLifetime, refreshTokenMaxLifetime,
                resourceName, scopeDescriptions, DEFAULT_TOKEN_EXCHANGE_LIFETIME);
    }

    /** The resource name when none is given. */
    public static final String DEFAULT_RESOURCE_NAME = "MCP server";

    /** Settings with the default resource name and the built-in scope descriptions. */
    public AsSettings(URI issuer, List<URI> resources, List<String> scopesSupported, Duration accessTokenTtl,
                      Duration refreshTokenTtl, Duration codeTtl, boolean dynamicRegistration, Optional<String> initialAccessToken,
                      boolean secureCookies, boolean clientMetadataDocuments, boolean metadataDocumentsOnLoopback,
                      Duration signingKeyLifetime, Duration refreshTokenMaxLifetime) {
        this(issuer, resources, scopesSupported, accessTokenTtl, refreshTokenTtl, codeTtl, dynamicRegistration, initialAccessToken,
                secureCookies, clientMetadataDocuments, metadataDocumentsOnLoopback, signingKeyLifetime, refreshTokenMaxLifetime,
                DEFAULT_RESOURCE_NAME, ScopeDescriptions.defaults());
    }

    /** Settings with signing keys replaced every 30 days and refresh token families ending after 90 days. */
    public AsSettings(URI issuer, List<URI> resources, List<String> scopesSupported, Duration accessTokenTtl,
                      Duration refreshTokenTtl, Duration codeTtl, boolean dynamicRegistration, Optional<String> initialAccessToken,
                      boolean secureCookies, boolean clientMetadataDocuments, boolean metadataDocumentsOnLoopback) {
        this(issuer, resources, scopesSupported, accessTokenTtl, refreshTokenTtl, codeTtl, dynamicRegistration, initialAccessToken,
                secureCookies, clientMetadataDocuments, metadataDocumentsOnLoopback, Duration.ofDays(30), Duration.ofDays(90));
    }

    public AsSettings {
        resources = List.copyOf(resources);
        java.util.Objects.requireNonNull(signingKeyLifetime, "signingKeyLifetime");
        java.util.Objects.requireNonNull(refreshTokenMaxLifetime, "refreshTokenMaxLifetime");
        java.util.Objects.requireNonNull(scopeDescriptions, "scopeDescriptions");
        java.util.Objects.requireNonNull(tokenExchangeLifetime, "tokenExchangeLifetime");
        if (tokenExchangeLifetime.isNegative() || tokenExchangeLifetime.isZero()) {
            throw new IllegalArgumentException("the token exchange lifetime must be positive");
        }
        resourceName = resourceName == null || resourceName.isBlank() ? DEFAULT_RESOURCE_NAME : resourceName.strip();
        scopesSupported = List.copyOf(scopesSupported);
        if (resources.isEmpty()) {
            throw new IllegalArgumentException("the authorization server needs at least one resource to issue tokens for");
        }
    }

    public URI defaultResource() {
        return resources.get(0);
    }

    /** An endpoint URL under the issuer. */
    public URI endpoint(String path) {
        String base = issuer.toString().replaceAll("/+$", "");
        return URI.create(base + path);
    }
}
