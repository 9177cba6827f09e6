package io.gatehouse.rs.token;

/**
 * The one seam through which Gatehouse checks bearer tokens: JWTs against remote or local keys, or RFC 7662
 * introspection. Implementations check signature or activity, issuer, audience and lifetime.
 */
@FunctionalInterface
public interface TokenVerifier {

    /**
     * @throws InvalidTokenException      the token is not acceptable here (401)
     * @throws VerifierUnavailableException the verifier cannot decide now, e.g. the JWKS is unreachable (503)
     */
    AccessToken verify(String token);
}
