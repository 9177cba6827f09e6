package io.gatehouse.bench.jmh;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.factories.DefaultJWSSignerFactory;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatehouse.rs.token.ClaimsReader;
import io.gatehouse.rs.token.JwtVerifier;
import io.gatehouse.rs.token.KeySources;
import io.gatehouse.rs.token.Signatures;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/** A key, tokens signed with it (shaped like `gatehouse token mint`'s), and a verifier for them. */
final class BenchTokens {

    static final String ISSUER = "http://localhost:9000";
    static final String AUDIENCE = "http://localhost:9000/mcp";

    final JWK key;
    final JWSAlgorithm algorithm;

    BenchTokens(String algorithm) throws JOSEException {
        this.algorithm = JWSAlgorithm.parse(algorithm);
        this.key = switch (algorithm) {
            case "RS256" -> new RSAKeyGenerator(2048).keyID("bench-rsa").generate();
            case "ES256" -> new ECKeyGenerator(Curve.P_256).keyID("bench-ec").generate();
            default -> throw new IllegalArgumentException("RS256 or ES256, not " + algorithm);
        };
    }

    String[] mint(int count) throws JOSEException {
        String[] tokens = new String[count];
        Instant now = Instant.now();
        for (int i = 0; i < count; i++) {
            JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).subject("bench").audience(AUDIENCE)
                    .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(7200)))
                    .jwtID(UUID.randomUUID().toString()).claim("scope", "mcp:tools").claim("client_id", "gatehouse-cli")
                    .claim("preferred_username", "bench").claim("roles", List.of()).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID())
                    .type(new JOSEObjectType("at+jwt")).build(), claims);
            jwt.sign(new DefaultJWSSignerFactory().createJWSSigner(key, algorithm));
            tokens[i] = jwt.serialize();
        }
        return tokens;
    }

    JwtVerifier verifier(Signatures signatures) {
        return new JwtVerifier(KeySources.local(new JWKSet(key.toPublicJWK())), ISSUER, List.of(AUDIENCE), Duration.ofSeconds(60),
                ClaimsReader.gatehouse(), signatures);
    }
}
