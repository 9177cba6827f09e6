package io.gatehouse.rs.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/** Mints test access tokens with keys generated in the test run. */
final class Tokens {

    static final String ISSUER = "https://issuer.example";
    static final String AUDIENCE = "https://mcp.example/mcp";

    private Tokens() {
    }

    static RSAKey rsaKey(String kid) throws JOSEException {
        return new RSAKeyGenerator(2048).keyID(kid).generate();
    }

    /** Claims a good token carries: issuer, subject, this server's audience, five minutes of life, scopes, roles. */
    static JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject("user-1")
                .audience(AUDIENCE)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .claim("preferred_username", "alice")
                .claim("client_id", "client-1")
                .claim("scope", "mcp:read mcp:tools")
                .claim("roles", List.of("editor"))
                .claim("realm_access", Map.of("roles", List.of("admin")));
    }

    static String sign(JWK key, JWSAlgorithm alg, JOSEObjectType typ, JWTClaimsSet claims) throws JOSEException {
        JWSHeader.Builder header = new JWSHeader.Builder(alg).keyID(key.getKeyID());
        if (typ != null) {
            header.type(typ);
        }
        return sign(key, header.build(), claims);
    }

    static String sign(JWK key, JWSHeader header, JWTClaimsSet claims) throws JOSEException {
        JWSSigner signer = switch (key) {
            case RSAKey rsa -> new RSASSASigner(rsa);
            case ECKey ec -> new ECDSASigner(ec);
            case OctetSequenceKey oct -> new MACSigner(oct);
            default -> throw new IllegalArgumentException("no signer for " + key.getKeyType());
        };
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    static String rs256(RSAKey key, JWTClaimsSet claims) throws JOSEException {
        return sign(key, JWSAlgorithm.RS256, new JOSEObjectType("at+jwt"), claims);
    }
}
