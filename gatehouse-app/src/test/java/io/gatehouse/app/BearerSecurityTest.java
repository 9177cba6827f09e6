package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.gatehouse.testkit.McpReply;
import io.gatehouse.testkit.McpTestClient;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The token attacks of ARCHITECTURE section 6 against a real Gatehouse in {@code external} mode, whose keys come
 * from a JWKS endpoint on loopback. Each test asserts the status and the {@code WWW-Authenticate} header.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("hardening")
class BearerSecurityTest {

    static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}";
    static JwksServer idp;
    static RunningGatehouse gatehouse;
    static String audience;

    @BeforeAll
    static void start() throws Exception {
        idp = new JwksServer();
        gatehouse = RunningGatehouse.start("auth", "external", "issuer", JwksServer.ISSUER, "jwks-url", idp.jwksUrl(),
                "jwks-refetch-interval", "2s", "clock-skew", "30s", "session-mode", "stateless", "management-port", "0");
        audience = gatehouse.mcpUrl().toString();
    }

    @AfterAll
    static void stop() throws Exception {
        gatehouse.close();
        idp.close();
    }

    private static McpReply ping(String authorization) {
        McpTestClient client = gatehouse.client();
        return authorization == null ? client.post(PING) : client.post(PING, "Authorization", authorization);
    }

    private static void assertInvalidToken(McpReply reply) {
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h)
                .startsWith("Bearer ").contains("error=\"invalid_token\"")
                .contains("resource_metadata=\"" + URI.create(audience).resolve("/.well-known/oauth-protected-resource/mcp") + "\""));
        // the body of an unauthenticated request is never read (issue 19 finding 6), so its id is unknown
        assertThat(reply.json().path("id").isNull()).isTrue();
        assertThat(reply.error().path("code").asInt()).isEqualTo(-32001);
    }

    @Test
    void a_valid_token_passes() throws Exception {
        McpReply reply = ping("Bearer " + idp.sign(JwksServer.claims(audience).build()));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.result().isObject()).isTrue();
    }

    @Test
    @Tag("RS-04")
    void a_missing_token_is_401_with_metadata_and_scope_but_no_error_attribute() {
        McpReply reply = ping(null);
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h)
                .contains("resource_metadata=\"").contains("scope=\"mcp:prompts mcp:read mcp:tools\"").doesNotContain("error="));
    }

    @Test
    @Tag("RS-10")
    void a_malformed_authorization_header_is_400_invalid_request() {
        for (String header : new String[] {"Bearer", "Bearer two tokens", "Bearer {json}"}) {
            McpReply reply = ping(header);
            assertThat(reply.status()).as(header).isEqualTo(400);
            assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).contains("error=\"invalid_request\""));
        }
    }

    @Test
    void another_scheme_counts_as_no_credentials() {
        McpReply reply = ping("Basic dXNlcjpwYXNz");
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).doesNotContain("error="));
    }

    @Test
    @Tag("RS-09")
    void an_unsigned_alg_none_token_is_401() {
        String token = new PlainJWT(JwksServer.claims(audience).build()).serialize();
        assertInvalidToken(ping("Bearer " + token));
    }

    @Test
    @Tag("RS-09")
    void hs256_signed_with_the_public_key_as_secret_is_401() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(idp.key.getKeyID()).build(),
                JwksServer.claims(audience).build());
        byte[] secret = idp.key.toPublicJWK().toRSAPublicKey().getEncoded();
        jwt.sign(new MACSigner(secret));
        assertInvalidToken(ping("Bearer " + jwt.serialize()));
    }

    @Test
    @Tag("RS-09")
    void a_token_signed_by_a_foreign_key_is_401() throws Exception {
        RSAKey attacker = new RSAKeyGenerator(2048).keyID(idp.key.getKeyID()).generate();
        String token = JwksServer.sign(attacker, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(attacker.getKeyID()),
                JwksServer.claims(audience).build());
        assertInvalidToken(ping("Bearer " + token));
    }

    @Test
    @Tag("RS-09")
    @Tag("SEC19-5")
    void unknown_kids_flooding_in_at_once_share_one_refetch_and_are_401_and_a_repeated_one_costs_at_most_one_more() throws Exception {
        RSAKey attacker = new RSAKeyGenerator(2048).keyID("unknown-0").generate();
        ping("Bearer " + idp.sign(JwksServer.claims(audience).build()));
        int before = idp.fetches.get();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            tokens.add(JwksServer.sign(attacker, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("unknown-" + i).type(JwksServer.AT_JWT),
                    JwksServer.claims(audience).build()));
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<McpReply>> replies = new ArrayList<>();
            for (String token : tokens) {
                replies.add(pool.submit(() -> ping("Bearer " + token)));
            }
            for (Future<McpReply> reply : replies) {
                assertInvalidToken(reply.get(30, TimeUnit.SECONDS));
            }
        }
        int afterFlood = idp.fetches.get();
        assertThat(afterFlood - before).isLessThanOrEqualTo(2);

        // within the refetch interval a repeated junk kid asks nothing; past it (a slow machine) it may join one refetch
        assertInvalidToken(ping("Bearer " + tokens.get(0)));
        assertThat(idp.fetches.get() - afterFlood).isLessThanOrEqualTo(1);
    }

    @Test
    @Tag("RS-09")
    void jku_and_x5u_headers_are_never_followed() throws Exception {
        RSAKey attacker = new RSAKeyGenerator(2048).keyID("attacker").generate();
        int before = idp.fetches.get();
        String token = JwksServer.sign(attacker, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("attacker")
                        .jwkURL(URI.create(idp.jwksUrl() + "?attacker")).x509CertURL(URI.create(idp.jwksUrl() + "?x5u"))
                        .jwk(attacker.toPublicJWK()), JwksServer.claims(audience).build());
        assertInvalidToken(ping("Bearer " + token));
        assertThat(idp.fetches.get() - before).isLessThanOrEqualTo(1);
    }

    @Test
    @Tag("RS-09")
    void an_expired_token_is_401_and_says_so() throws Exception {
        McpReply reply = ping("Bearer " + idp.sign(c -> c.expirationTime(Date.from(Instant.now().minus(Duration.ofMinutes(2)))), audience));
        assertInvalidToken(reply);
        assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).contains("expired"));
    }

    @Test
    @Tag("RS-09")
    void a_token_not_yet_valid_is_401() throws Exception {
        assertInvalidToken(ping("Bearer " + idp.sign(c -> c.notBeforeTime(Date.from(Instant.now().plus(Duration.ofMinutes(5)))), audience)));
    }

    @Test
    @Tag("RS-09")
    void a_token_without_exp_is_401() throws Exception {
        assertInvalidToken(ping("Bearer " + idp.sign(c -> c.expirationTime(null), audience)));
    }

    @Test
    @Tag("RS-09")
    void a_token_from_another_issuer_is_401() throws Exception {
        assertInvalidToken(ping("Bearer " + idp.sign(c -> c.issuer("https://other-issuer.test"), audience)));
    }

    @Test
    @Tag("RS-08")
    void a_token_for_another_resource_is_401() throws Exception {
        assertInvalidToken(ping("Bearer " + idp.sign(c -> c.audience("http://localhost:9999/mcp"), audience)));
    }

    @Test
    @Tag("RS-08")
    void a_token_without_audience_is_401() throws Exception {
        assertInvalidToken(ping("Bearer " + idp.sign(c -> c.audience((String) null), audience)));
    }

    @Test
    @Tag("RS-08")
    void a_token_for_the_origin_instead_of_the_mcp_url_is_401() throws Exception {
        String origin = audience.substring(0, audience.indexOf("/mcp"));
        assertInvalidToken(ping("Bearer " + idp.sign(c -> c.audience(origin), audience)));
    }

    @Test
    @Tag("RS-15")
    void a_token_in_the_query_string_or_body_is_ignored() throws Exception {
        String token = idp.sign(JwksServer.claims(audience).build());
        McpReply query = gatehouse.client().raw("POST", "/mcp?access_token=" + token, PING, "Content-Type", "application/json",
                "Accept", "application/json, text/event-stream");
        assertThat(query.status()).isEqualTo(401);
        assertThat(query.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).doesNotContain("error="));
        McpReply body = gatehouse.client().post("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\",\"params\":{\"access_token\":\"" + token + "\"}}");
        assertThat(body.status()).isEqualTo(401);
    }

    @Test
    @Tag("RS-09")
    void an_oversized_token_is_401_without_parsing() {
        assertInvalidToken(ping("Bearer " + "a".repeat(9000)));
    }

    @Test
    @Tag("RS-09")
    void a_garbage_token_is_401() {
        assertInvalidToken(ping("Bearer invalid.token.here"));
    }

    @Test
    void a_tampered_payload_is_401() throws Exception {
        String[] parts = idp.sign(JwksServer.claims(audience).build()).split("\\.");
        String forged = Base64URL.encode(JwksServer.claims(audience).claim("scope", "mcp:read mcp:tools mcp:prompts mcp:admin")
                .build().toString()).toString();
        assertInvalidToken(ping("Bearer " + parts[0] + "." + forged + "." + parts[2]));
    }

    @Test
    void a_rotated_key_is_picked_up_without_a_restart() throws Exception {
        try (RunningGatehouse fresh = RunningGatehouse.start("auth", "external", "issuer", JwksServer.ISSUER,
                "jwks-url", idp.jwksUrl(), "jwks-refetch-interval", "1s", "session-mode", "stateless")) {
            McpTestClient client = fresh.client();
            String freshAudience = fresh.mcpUrl().toString();
            String first = idp.sign(JwksServer.claims(freshAudience).build());
            assertThat(client.post(PING, "Authorization", "Bearer " + first).status()).isEqualTo(200);
            RSAKey later = idp.rotate("key-later-" + System.nanoTime());
            // accepted at once: the unknown kid waits for the next fetch instead of being refused until an interval passes
            String rotated = JwksServer.sign(later, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(later.getKeyID()).type(JwksServer.AT_JWT),
                    JwksServer.claims(freshAudience).build());
            assertThat(client.post(PING, "Authorization", "Bearer " + rotated).status()).isEqualTo(200);
        }
    }

    @Test
    @Tag("attack")
    @Tag("SEC19-7")
    void an_unreachable_jwks_is_503_with_retry_after_from_the_first_request_to_the_hundredth_never_invalid_token() throws Exception {
        try (RunningGatehouse blind = RunningGatehouse.start("auth", "external", "issuer", JwksServer.ISSUER,
                "jwks-url", "http://127.0.0.1:9/jwks", "session-mode", "stateless")) {
            String token = idp.sign(JwksServer.claims(blind.mcpUrl().toString()).build());
            for (int i = 0; i < 100; i++) {
                McpReply reply = blind.client().post(PING, "Authorization", "Bearer " + token);
                assertThat(reply.status()).as("request " + (i + 1)).isEqualTo(503);
                assertThat(reply.header("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
                assertThat(reply.header("WWW-Authenticate")).isEmpty();
            }
        }
    }

    @Test
    @Tag("attack")
    @Tag("SEC19-5")
    void a_jwks_endpoint_that_never_answers_holds_concurrent_requests_no_longer_than_the_fetch_timeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        HttpServer silent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        silent.createContext("/", exchange -> {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        silent.start();
        try (RunningGatehouse stalled = RunningGatehouse.start("auth", "external", "issuer", JwksServer.ISSUER,
                "jwks-url", "http://127.0.0.1:" + silent.getAddress().getPort() + "/jwks", "jwks-fetch-timeout", "1s",
                "session-mode", "stateless");
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            String token = idp.sign(JwksServer.claims(stalled.mcpUrl().toString()).build());
            List<Future<McpReply>> replies = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                replies.add(pool.submit(() -> stalled.client().post(PING, "Authorization", "Bearer " + token)));
            }
            // were they served one after another, each waiting for its own fetch, 30 would take 30 s and more
            for (Future<McpReply> reply : replies) {
                McpReply answer = reply.get(15, TimeUnit.SECONDS);
                assertThat(answer.status()).isEqualTo(503);
                assertThat(answer.header("Retry-After")).isPresent();
            }
        } finally {
            release.countDown();
            silent.stop(0);
        }
    }

    @Test
    @Tag("attack")
    @Tag("SEC19-3")
    void an_id_token_or_an_unmarked_jwt_of_the_issuer_is_401_even_for_this_audience() throws Exception {
        String idToken = JwksServer.sign(idp.key, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(idp.key.getKeyID()).type(JOSEObjectType.JWT),
                JwksServer.claims(audience).claim("typ", "ID").build());
        String refresh = JwksServer.sign(idp.key, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(idp.key.getKeyID()).type(JwksServer.AT_JWT),
                JwksServer.claims(audience).claim("typ", "Refresh").build());
        String unmarked = JwksServer.sign(idp.key, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(idp.key.getKeyID()).type(JOSEObjectType.JWT),
                JwksServer.claims(audience).build());
        for (String token : List.of(idToken, refresh, unmarked)) {
            assertInvalidToken(ping("Bearer " + token));
        }
        String keycloakStyle = JwksServer.sign(idp.key, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(idp.key.getKeyID())
                .type(JOSEObjectType.JWT), JwksServer.claims(audience).claim("typ", "Bearer").build());
        assertThat(ping("Bearer " + keycloakStyle).status()).isEqualTo(200);
    }

    @Test
    @Tag("RS-01")
    void the_protected_resource_metadata_names_the_issuer_and_the_exact_resource() {
        McpReply metadata = gatehouse.client().raw("GET", "/.well-known/oauth-protected-resource/mcp", null,
                "Origin", "http://some-browser-client.example");
        assertThat(metadata.status()).isEqualTo(200);
        assertThat(metadata.header("Access-Control-Allow-Origin")).contains("*");
        assertThat(metadata.json().path("resource").asString()).isEqualTo(audience);
        assertThat(metadata.json().path("authorization_servers").get(0).asString()).isEqualTo(JwksServer.ISSUER);
        assertThat(metadata.json().path("bearer_methods_supported").toString()).isEqualTo("[\"header\"]");
        assertThat(metadata.json().path("scopes_supported").toString()).doesNotContain("offline_access");
        McpReply root = gatehouse.client().raw("GET", "/.well-known/oauth-protected-resource", null);
        assertThat(root.json().path("resource").asString()).isEqualTo(audience.substring(0, audience.indexOf("/mcp")));
    }

    @Test
    void challenges_are_exposed_to_browser_clients() {
        McpReply reply = gatehouse.client().post(PING, "Origin", "http://localhost:" + gatehouse.gatehouse.port());
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("Access-Control-Expose-Headers")).hasValueSatisfying(h -> assertThat(h).contains("WWW-Authenticate"));
    }

    @Test
    void health_stays_public_and_the_management_listener_says_what_checks_signatures() throws InterruptedException {
        assertThat(gatehouse.client().raw("GET", "/health", null).json().toString()).isEqualTo("{\"status\":\"ok\"}");
        JsonNode health = gatehouse.managementHealth();
        assertThat(health.path("auth").asString()).isEqualTo("external");
        // the native provider loads in the background at startup; on Linux x86-64 it must end up in use
        Instant deadline = Instant.now().plusSeconds(10);
        while (health.path("resourceServer").path("signatures").asString().equals("JDK") && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            health = gatehouse.managementHealth();
        }
        boolean linuxX64 = System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64");
        assertThat(health.path("resourceServer").path("signatures").asString())
                .isEqualTo(linuxX64 ? "native: AmazonCorrettoCryptoProvider 2.5.0" : "JDK");
    }
}
