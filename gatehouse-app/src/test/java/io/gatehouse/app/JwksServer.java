package io.gatehouse.app;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A stand-in identity provider for tests: a JWKS endpoint on loopback that counts its fetches, and the private
 * keys to sign tokens with. Keys are generated per test run.
 */
final class JwksServer implements AutoCloseable {

    static final String ISSUER = "https://issuer.test";
    /** RFC 9068: the type an access token's header names. */
    static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

    private final HttpServer http;
    private final List<RSAKey> published = new CopyOnWriteArrayList<>();
    final AtomicInteger fetches = new AtomicInteger();
    final RSAKey key;

    JwksServer() throws IOException, JOSEException {
        key = new RSAKeyGenerator(2048).keyID("key-1").generate();
        published.add(key);
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/jwks", exchange -> {
            fetches.incrementAndGet();
            byte[] body = new JWKSet(List.copyOf(published.stream().map(RSAKey::toPublicJWK).toList()))
                    .toString(true).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
    }

    String jwksUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/jwks";
    }

    /** Publishes another key, as an identity provider does when it rotates. */
    RSAKey rotate(String kid) throws JOSEException {
        RSAKey next = new RSAKeyGenerator(2048).keyID(kid).generate();
        published.add(next);
        return next;
    }

    /** Claims a valid token for {@code audience} carries; tests change what they attack. */
    static JWTClaimsSet.Builder claims(String audience) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ISSUER).subject("user-1").audience(audience)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .claim("preferred_username", "alice").claim("scope", "mcp:read mcp:tools").claim("client_id", "test-client");
    }

    String sign(JWTClaimsSet claims) throws JOSEException {
        return sign(key, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(AT_JWT), claims);
    }

    static String sign(RSAKey with, JWSHeader.Builder header, JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(header.build(), claims);
        jwt.sign(new RSASSASigner(with));
        return jwt.serialize();
    }

    String sign(Consumer<JWTClaimsSet.Builder> change, String audience) throws JOSEException {
        JWTClaimsSet.Builder builder = claims(audience);
        change.accept(builder);
        return sign(builder.build());
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
