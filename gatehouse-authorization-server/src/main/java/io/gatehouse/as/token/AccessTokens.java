package io.gatehouse.as.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatehouse.as.keys.SigningKeys;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Issues JWT access tokens in the RFC 9068 shape: {@code aud} is exactly the validated resource (RFC 8707),
 * with {@code scope}, {@code roles}, {@code preferred_username} and {@code client_id}, signed with the current key.
 */
public final class AccessTokens {

    /** A signed access token, its id, lifetime and expiry. */
    public record Issued(String token, String jti, Duration lifetime, Instant expiresAt) {
    }

    private final URI issuer;
    private final SigningKeys keys;
    private final Duration lifetime;
    private final Clock clock;

    public AccessTokens(URI issuer, SigningKeys keys, Duration lifetime, Clock clock) {
        this.issuer = issuer;
        this.keys = keys;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    public Issued issue(Grant grant) {
        return sign(grant, grant.resource().toString(), lifetime, null);
    }

    /**
     * A token issued by token exchange (RFC 8693): for {@code audience} (a downstream, URI or name), living
     * {@code lifetime}, with the actor chain {@code act} (section 4.1).
     */
    Issued issueExchanged(Grant grant, String audience, Duration lifetime, Map<String, Object> act) {
        return sign(grant, audience, lifetime, act);
    }

    private Issued sign(Grant grant, String audience, Duration lifetime, Map<String, Object> act) {
        Instant now = clock.instant();
        String jti = UUID.randomUUID().toString();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .issuer(issuer.toString())
                .subject(grant.subject())
                .audience(audience)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(jti)
                .claim("client_id", grant.clientId())
                .claim("scope", String.join(" ", new TreeSet<>(grant.scopes())))
                .claim("roles", List.copyOf(new TreeSet<>(grant.roles())))
                .claim("preferred_username", grant.username());
        if (act != null) {
            builder.claim("act", act);
        }
        JWTClaimsSet claims = builder.build();
        RSAKey key = keys.current();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(new JOSEObjectType("at+jwt")).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an access token", e);
        }
        return new Issued(jwt.serialize(), jti, lifetime, now.plus(lifetime));
    }
}
