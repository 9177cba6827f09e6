package io.gatehouse.server.internal.config;

/** Who issues the access tokens Gatehouse accepts (ARCHITECTURE section 4). */
public enum AuthMode {
    /** Gatehouse's own authorization server on the same origin: login and consent pages, registration, tokens. */
    EMBEDDED,
    /** Nobody: authentication is off. Allowed only on a loopback address, and announced loudly. */
    NONE,
    /** Tokens minted by {@code gatehouse token mint} with a local key pair; verified against its public keys. */
    LOCAL_KEYS,
    /** Keycloak or any OAuth 2.1 / OIDC provider: JWTs verified against its JWKS, or RFC 7662 introspection. */
    EXTERNAL
}
