package io.gatehouse.server.internal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Mints development access tokens (the tutorial's {@code generate_token.py}, done right): RFC 9068-shaped JWTs
 * signed with the local key, with {@code kid} set and correct UTC timestamps.
 */
public final class TokenMinter {

    /** What a token says about its holder. */
    public record Grant(String subject, String username, List<String> scopes, List<String> roles) {
    }

    private final JWK key;
    private final JWSSigner signer;
    private final JWSAlgorithm algorithm;

    public TokenMinter(JWK key) throws JOSEException {
        this.key = key;
        if (key instanceof RSAKey rsa) {
            this.signer = new RSASSASigner(rsa);
            this.algorithm = JWSAlgorithm.RS256;
        } else if (key instanceof ECKey ec) {
            this.signer = new ECDSASigner(ec);
            this.algorithm = JWSAlgorithm.ES256;
        } else {
            throw new JOSEException("unsupported key type " + key.getKeyType());
        }
    }

    public String mint(Grant grant, String issuer, List<String> audience, Duration ttl, Instant now) throws JOSEException {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(grant.subject())
                .audience(audience)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .claim("client_id", "gatehouse-cli")
                .claim("preferred_username", grant.username())
                .claim("scope", String.join(" ", grant.scopes()))
                .claim("roles", grant.roles())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID())
                .type(new JOSEObjectType("at+jwt")).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    /** The tutorial's demo users: alice (read, tools), bob (read, prompts), admin (everything), guest (nothing). */
    public static List<Grant> demoGrants() {
        return List.of(new Grant("user_alice", "alice", List.of("mcp:read", "mcp:tools"), List.of("user")),
                new Grant("user_bob", "bob", List.of("mcp:read", "mcp:prompts"), List.of("user")),
                new Grant("user_admin", "admin", List.of("mcp:read", "mcp:tools", "mcp:prompts"), List.of("user", "admin")),
                new Grant("user_guest", "guest", List.of(), List.of("guest")));
    }
}
