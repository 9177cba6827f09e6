package io.gatehouse.rs.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import java.text.ParseException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies JWT access tokens with Nimbus JOSE+JWT: the signature against keys from a {@link JWKSource} with an
 * allow-list of asymmetric algorithms (never {@code none}, never HMAC, so a public key can never be used as an
 * HMAC secret), {@code iss} exactly, {@code aud} containing one of this server's resource URLs (RS-08),
 * {@code exp} required, {@code nbf} honoured, with a small clock skew, and only access tokens: an ID token or a
 * refresh token of the same issuer is refused ({@link TokenTypes}). {@code jku}, {@code x5u} and embedded
 * {@code jwk} headers are never followed: keys come only from the configured source. Keys that cannot be had now
 * make the verifier unavailable (503), never the token invalid.
 */
public final class JwtVerifier implements TokenVerifier {

    /** Asymmetric JWS algorithms accepted by default. */
    public static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384,
            JWSAlgorithm.ES512, JWSAlgorithm.Ed25519, JWSAlgorithm.EdDSA);

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final ClaimsReader claims;
    private final TokenTypes types;

    /** As the full constructor, accepting {@link TokenTypes#DEFAULT}. */
    public JwtVerifier(JWKSource<SecurityContext> keys, String issuer, List<String> audiences, Duration clockSkew,
                       ClaimsReader claims, Signatures signatures) {
        this(keys, issuer, audiences, clockSkew, claims, TokenTypes.DEFAULT, signatures);
    }

    /**
     * @param keys      where verification keys come from
     * @param issuer    the exact {@code iss} accepted
     * @param audiences resource URLs of which {@code aud} must contain at least one
     * @param clockSkew tolerance for {@code exp} and {@code nbf}
     * @param types     which type markers make a token an access token
     * @param signatures what checks the signatures: {@link Signatures#preferNative()} or {@link Signatures#jdk()}
     */
    public JwtVerifier(JWKSource<SecurityContext> keys, String issuer, List<String> audiences, Duration clockSkew,
                       ClaimsReader claims, TokenTypes types, Signatures signatures) {
        Objects.requireNonNull(issuer, "issuer");
        if (audiences.isEmpty()) {
            throw new IllegalArgumentException("at least one audience is required (RS-08)");
        }
        this.claims = claims;
        this.types = types;
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
                new JOSEObjectType("at+jwt"), new JOSEObjectType("application/at+jwt"), null));
        processor.setJWSKeySelector(new CachedKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys), Duration.ofSeconds(60),
                signatures));
        processor.setJWSVerifierFactory(signatures);
        DefaultJWTClaimsVerifier<SecurityContext> verifier = new DefaultJWTClaimsVerifier<>(new HashSet<>(audiences),
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("iss", "sub", "aud", "exp"), Set.of());
        verifier.setMaxClockSkew((int) clockSkew.toSeconds());
        processor.setJWTClaimsSetVerifier(verifier);
    }

    @Override
    public AccessToken verify(String token) {
        try {
            // parsed as a JWS directly: an unsigned or encrypted JWT is not one, so it fails here
            SignedJWT jwt = SignedJWT.parse(token);
            JWTClaimsSet verified = processor.process(jwt, null);
            types.checkJwt(jwt.getHeader().getType(), verified.getClaims());
            return claims.readVerified(verified.getClaims());
        } catch (ExpiredJWTException e) {
            throw InvalidTokenException.expired();
        } catch (BadJWTException e) {
            throw new InvalidTokenException("claims rejected: " + e.getMessage());
        } catch (BadJOSEException e) {
            throw new InvalidTokenException("JWS rejected: " + e.getMessage());
        } catch (ParseException e) {
            throw new InvalidTokenException("not a JWT: " + e.getMessage());
        } catch (KeySourceException e) {
            // also a rate limit of some other source: keys that cannot be had now say nothing about the token
            throw new VerifierUnavailableException("verification keys unavailable: " + e.getMessage(), e,
                    e instanceof KeysUnavailableException k ? k.retryAfter() : VerifierUnavailableException.DEFAULT_RETRY_AFTER);
        } catch (JOSEException e) {
            throw new InvalidTokenException("signature could not be verified: " + e.getMessage());
        }
    }
}
