package io.gatehouse.as.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Checks an access token this server issued: signature with its own keys, issuer, expiry, and whether it was
 * revoked. Used by introspection, revocation and the embedded resource server.
 */
public final class TokenInspector {

    /** The facts about a live token. */
    public record Inspected(JWTClaimsSet claims, String jti, String clientId, Instant expiresAt) {
    }

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final TokenState state;
    private final Clock clock;

    public TokenInspector(URI issuer, JWKSource<SecurityContext> keys, TokenState state, Clock clock) {
        this.state = state;
        this.clock = clock;
        processor.setJWSTypeVerifier(new com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier<>(
                new com.nimbusds.jose.JOSEObjectType("at+jwt")));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(null,
                new JWTClaimsSet.Builder().issuer(issuer.toString()).build(), Set.of("sub", "exp", "jti", "aud"), Set.of()));
    }

    public Optional<Inspected> inspect(String token) {
        try {
            JWTClaimsSet claims = processor.process(token, null);
            Instant exp = claims.getExpirationTime().toInstant();
            if (state.isRevoked(claims.getJWTID()) || !exp.isAfter(clock.instant())) {
                return Optional.empty();
            }
            String clientId = claims.getClaim("client_id") instanceof String c ? c : "";
            return Optional.of(new Inspected(claims, claims.getJWTID(), clientId, exp));
        } catch (java.text.ParseException | com.nimbusds.jose.proc.BadJOSEException | com.nimbusds.jose.JOSEException e) {
            return Optional.empty();
        }
    }
}
