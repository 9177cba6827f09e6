package io.gatehouse.app;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A downstream API of a test, as a real one would be: it accepts a request only with a bearer JWT that verifies
 * against the issuer's JWKS (Nimbus) with its own audience, and answers (and records) who the token is for
 * ({@code sub}), who acts ({@code act.sub}), its {@code aud}, {@code azp} and {@code jti}. Anything else gets 401.
 * On 127.0.0.1 only.
 */
final class DownstreamApi implements AutoCloseable {

    /** What one accepted request's token said; {@code token} is kept only so a test can try it elsewhere. */
    record Seen(String subject, String actor, List<String> audience, String authorizedParty, String tokenId, String token) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer http;
    private final String audience;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final List<Integer> refused = new CopyOnWriteArrayList<>();
    private volatile DefaultJWTProcessor<SecurityContext> processor;

    private DownstreamApi(String audience) throws IOException {
        this.audience = audience;
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.createContext("/api", this::handle);
        http.start();
    }

    /** Starts on a free port, accepting tokens for {@code audience}; call {@link #trust} before its first request. */
    static DownstreamApi start(String audience) throws IOException {
        return new DownstreamApi(audience);
    }

    /** Trusts tokens of {@code issuer}, signed by a key of {@code jwks}. */
    DownstreamApi trust(String issuer, URI jwks) throws Exception {
        JWKSource<SecurityContext> keys = JWKSourceBuilder.create(jwks.toURL()).retrying(false).build();
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt"), JOSEObjectType.JWT, null));
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.PS256,
                JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519), keys));
        p.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience, new JWTClaimsSet.Builder().issuer(issuer).build(),
                Set.of("sub", "exp")));
        processor = p;
        return this;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/api");
    }

    /** Every accepted request, in order. */
    List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** How many requests were refused with 401. */
    int refusedCount() {
        return refused.size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String header = exchange.getRequestHeaders().getFirst("Authorization");
            if (header == null || !header.startsWith("Bearer ")) {
                answer(exchange, 401, Map.of("error", "no bearer token"));
                return;
            }
            String token = header.substring("Bearer ".length());
            JWTClaimsSet claims;
            try {
                claims = processor.process(token, null);
            } catch (Exception e) {
                refused.add(401);
                answer(exchange, 401, Map.of("error", "invalid_token", "why", String.valueOf(e.getMessage())));
                return;
            }
            Object act = claims.getClaim("act");
            String actor = act instanceof Map<?, ?> m ? String.valueOf(m.get("sub")) : "";
            String azp = claims.getClaim("azp") == null ? "" : String.valueOf(claims.getClaim("azp"));
            String jti = claims.getJWTID() == null ? "" : claims.getJWTID();
            Seen one = new Seen(claims.getSubject(), actor, claims.getAudience(), azp, jti, token);
            seen.add(one);
            answer(exchange, 200, Map.of("sub", one.subject(), "act", actor, "aud", one.audience(), "azp", azp, "jti", jti));
        }
    }

    private static void answer(HttpExchange exchange, int status, Map<String, ?> body) throws IOException {
        ObjectNode json = JSON.valueToTree(body);
        byte[] bytes = JSON.writeValueAsBytes(json);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
