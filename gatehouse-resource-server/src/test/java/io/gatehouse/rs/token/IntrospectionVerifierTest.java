package io.gatehouse.rs.token;

import static io.gatehouse.rs.token.Tokens.AUDIENCE;
import static io.gatehouse.rs.token.Tokens.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.testkit.MutableClock;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class IntrospectionVerifierTest {

    private static final Instant NOW = Instant.parse("2025-11-25T12:00:00Z");
    private static final long EXP = NOW.plusSeconds(600).getEpochSecond();
    private static final String TOKEN = "opaque-token-123";

    private final MutableClock clock = new MutableClock(NOW);
    private LoopbackServer introspection;
    private IntrospectionVerifier verifier;

    @BeforeEach
    void start_introspection_endpoint() throws Exception {
        introspection = LoopbackServer.start(request -> LoopbackServer.Response.json(active(AUDIENCE, ISSUER, EXP)));
        verifier = new IntrospectionVerifier(introspection.uri("/introspect"), "gatehouse", "s3cret", ISSUER,
                List.of(AUDIENCE), new ClaimsReader(ClaimsReader.SCOPE, ClaimsReader.KEYCLOAK_ROLES), clock);
    }

    @AfterEach
    void stop_introspection_endpoint() {
        introspection.close();
    }

    private static String active(String aud, String iss, Long exp) {
        return active(aud, iss, exp, ",\"token_type\":\"Bearer\"");
    }

    private static String active(String aud, String iss, Long exp, String typeMembers) {
        return "{\"active\":true" + typeMembers + ",\"sub\":\"user-1\",\"username\":\"alice\",\"client_id\":\"client-1\","
                + "\"scope\":\"mcp:read mcp:prompts\",\"realm_access\":{\"roles\":[\"admin\"]}"
                + (aud == null ? "" : ",\"aud\":\"" + aud + "\"")
                + (iss == null ? "" : ",\"iss\":\"" + iss + "\"")
                + (exp == null ? "" : ",\"exp\":" + exp)
                + "}";
    }

    private static Map<String, String> form(String body) {
        return Arrays.stream(body.split("&")).map(pair -> pair.split("=", 2)).collect(Collectors.toMap(
                kv -> URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                kv -> URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8)));
    }

    @Test
    void an_active_token_for_this_server_becomes_an_access_token() {
        AccessToken token = verifier.verify(TOKEN);

        assertThat(token.issuer()).isEqualTo(ISSUER);
        assertThat(token.subject()).isEqualTo("user-1");
        assertThat(token.username()).isEqualTo("alice");
        assertThat(token.clientId()).isEqualTo("client-1");
        assertThat(token.scopes()).containsExactlyInAnyOrder("mcp:read", "mcp:prompts");
        assertThat(token.roles()).containsExactly("admin");
        assertThat(token.audience()).containsExactly(AUDIENCE);
        assertThat(token.expiresAt()).isEqualTo(Instant.ofEpochSecond(EXP));
    }

    @Test
    void the_endpoint_receives_basic_client_credentials_and_the_token_in_a_form_body() {
        verifier.verify(TOKEN);

        assertThat(introspection.requests()).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/introspect");
            assertThat(request.headers().getFirst("Authorization")).isEqualTo("Basic "
                    + Base64.getEncoder().encodeToString("gatehouse:s3cret".getBytes(StandardCharsets.UTF_8)));
            assertThat(request.headers().getFirst("Content-Type")).startsWith("application/x-www-form-urlencoded");
            assertThat(form(request.body())).containsEntry("token", TOKEN);
            assertThat(request.body()).doesNotContain("s3cret");
        });
    }

    @Test
    @Tag("RS-09")
    void an_inactive_token_is_invalid() {
        introspection.respondWith(request -> LoopbackServer.Response.json("{\"active\":false}"));

        assertThatThrownBy(() -> verifier.verify(TOKEN)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    @Tag("RS-08")
    void an_active_token_for_another_audience_is_invalid() {
        introspection.respondWith(request -> LoopbackServer.Response.json(active("https://other.example/mcp", ISSUER, EXP)));

        assertThatThrownBy(() -> verifier.verify(TOKEN)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    @Tag("RS-08")
    void an_active_token_without_audience_is_invalid() {
        introspection.respondWith(request -> LoopbackServer.Response.json(active(null, ISSUER, EXP)));

        assertThatThrownBy(() -> verifier.verify(TOKEN)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    @Tag("RS-09")
    void an_active_token_from_another_issuer_is_invalid() {
        introspection.respondWith(request -> LoopbackServer.Response.json(active(AUDIENCE, "https://evil.example", EXP)));

        assertThatThrownBy(() -> verifier.verify(TOKEN)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    @Tag("RS-09")
    @Tag("SEC10-1")
    void an_active_token_without_issuer_is_invalid() {
        introspection.respondWith(request -> LoopbackServer.Response.json(active(AUDIENCE, null, EXP)));

        assertThatThrownBy(() -> verifier.verify(TOKEN)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    @Tag("RS-09")
    void an_active_token_without_expiry_is_invalid() {
        introspection.respondWith(request -> LoopbackServer.Response.json(active(AUDIENCE, ISSUER, null)));

        assertThatThrownBy(() -> verifier.verify(TOKEN)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    @Tag("RS-09")
    void an_active_token_already_past_its_expiry_is_invalid_as_expired() {
        introspection.respondWith(request -> LoopbackServer.Response.json(
                active(AUDIENCE, ISSUER, NOW.minusSeconds(1).getEpochSecond())));

        assertThatThrownBy(() -> verifier.verify(TOKEN))
                .isInstanceOfSatisfying(InvalidTokenException.class,
                        e -> assertThat(e.publicDescription()).containsIgnoringCase("expired"));
    }

    @Test
    void an_endpoint_answering_500_makes_the_verifier_unavailable() {
        introspection.respondWith(request -> LoopbackServer.Response.status(500));

        assertThatThrownBy(() -> verifier.verify(TOKEN)).isInstanceOf(VerifierUnavailableException.class);
    }

    @Test
    void an_endpoint_refusing_the_client_credentials_makes_the_verifier_unavailable() {
        introspection.respondWith(request -> new LoopbackServer.Response(401, "application/json",
                "{\"error\":\"invalid_client\"}"));

        assertThatThrownBy(() -> verifier.verify(TOKEN)).isInstanceOf(VerifierUnavailableException.class);
    }

    @Test
    void an_endpoint_answering_garbage_makes_the_verifier_unavailable() {
        introspection.respondWith(request -> LoopbackServer.Response.json("not json"));

        assertThatThrownBy(() -> verifier.verify(TOKEN)).isInstanceOf(VerifierUnavailableException.class);
    }

    @Test
    void a_stopped_endpoint_makes_the_verifier_unavailable() {
        introspection.close();

        assertThatThrownBy(() -> verifier.verify(TOKEN)).isInstanceOf(VerifierUnavailableException.class);
    }

    @Test
    @Tag("SEC19-3")
    void refresh_and_id_tokens_the_endpoint_calls_active_are_refused() {
        for (String members : List.of(",\"typ\":\"Refresh\"", ",\"typ\":\"ID\"", ",\"token_type\":\"Refresh\"",
                ",\"token_type\":\"refresh_token\"", ",\"typ\":\"Offline\",\"token_type\":\"Bearer\"",
                ",\"token_type\":\"Bearer\",\"token_use\":\"id\"")) {
            introspection.respondWith(request -> LoopbackServer.Response.json(active(AUDIENCE, ISSUER, EXP, members)));

            assertThatThrownBy(() -> verifier.verify(TOKEN)).as(members).isInstanceOf(InvalidTokenException.class);
        }
    }

    @Test
    @Tag("SEC19-3")
    void keycloaks_typ_bearer_marks_an_access_token_and_an_unmarked_answer_needs_unmarked_accepted() {
        introspection.respondWith(request -> LoopbackServer.Response.json(active(AUDIENCE, ISSUER, EXP, ",\"typ\":\"Bearer\"")));
        assertThat(verifier.verify(TOKEN).subject()).isEqualTo("user-1");

        introspection.respondWith(request -> LoopbackServer.Response.json(active(AUDIENCE, ISSUER, EXP, "")));
        assertThatThrownBy(() -> verifier.verify(TOKEN)).isInstanceOf(InvalidTokenException.class);
        IntrospectionVerifier lenient = new IntrospectionVerifier(introspection.uri("/introspect"), "gatehouse", "s3cret", ISSUER,
                List.of(AUDIENCE), ClaimsReader.gatehouse(), TokenTypes.parse(List.of("Bearer", "unmarked")), clock);
        assertThat(lenient.verify(TOKEN).subject()).isEqualTo("user-1");
    }

    @Test
    void an_introspection_verifier_accepting_only_at_jwt_cannot_be_built() {
        assertThatThrownBy(() -> new IntrospectionVerifier(introspection.uri("/introspect"), "gatehouse", "s3cret", ISSUER,
                List.of(AUDIENCE), ClaimsReader.gatehouse(), TokenTypes.AT_JWT_ONLY, clock)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @Tag("SEC19-5")
    void an_unreachable_endpoint_is_remembered_so_later_requests_fail_at_once_without_asking() {
        introspection.respondWith(request -> LoopbackServer.Response.status(503));

        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> verifier.verify(TOKEN)).isInstanceOfSatisfying(VerifierUnavailableException.class,
                    e -> assertThat(e.retryAfter()).isPositive());
        }

        assertThat(introspection.hits()).isEqualTo(1);
    }

    @Test
    @Tag("attack")
    @Tag("SEC19-3")
    void an_active_answer_without_a_subject_or_with_an_empty_one_is_invalid_so_such_callers_never_share_one_principal() {
        for (String answer : List.of(active(AUDIENCE, ISSUER, EXP).replace("\"sub\":\"user-1\",", ""),
                active(AUDIENCE, ISSUER, EXP).replace("\"sub\":\"user-1\"", "\"sub\":\"\""),
                active(AUDIENCE, ISSUER, EXP).replace("\"sub\":\"user-1\"", "\"sub\":\"  \""),
                active(AUDIENCE, ISSUER, EXP).replace("\"sub\":\"user-1\"", "\"sub\":42"))) {
            introspection.respondWith(request -> LoopbackServer.Response.json(answer));

            assertThatThrownBy(() -> verifier.verify(TOKEN)).as(answer).isInstanceOf(InvalidTokenException.class);
        }
    }

    @Test
    @Tag("attack")
    @Tag("SEC19-5")
    void a_rate_limiting_endpoint_is_remembered_for_its_retry_after_so_a_junk_token_flood_asks_it_once() {
        introspection.respondWith(request -> new LoopbackServer.Response(429, "application/json",
                "{\"error\":\"slow_down\"}", Map.of("Retry-After", "30")));

        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> verifier.verify("junk-" + UUID.randomUUID())).isInstanceOfSatisfying(VerifierUnavailableException.class,
                    e -> assertThat(e.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(30)));
        }

        assertThat(introspection.hits()).isEqualTo(1);
    }

    @Test
    @Tag("attack")
    @Tag("SEC19-5")
    void a_rate_limit_s_retry_after_is_bounded_and_defaults_to_the_failure_memory() {
        for (Map.Entry<Map<String, String>, Duration> c : Map.of(
                Map.of("Retry-After", "86400"), IntrospectionVerifier.MAX_RATE_LIMIT_MEMORY,
                Map.of("Retry-After", "99999999999999999999999"), IntrospectionVerifier.MAX_RATE_LIMIT_MEMORY,
                Map.<String, String>of(), IntrospectionVerifier.FAILURE_MEMORY,
                Map.of("Retry-After", "soon"), IntrospectionVerifier.FAILURE_MEMORY).entrySet()) {
            IntrospectionVerifier fresh = new IntrospectionVerifier(introspection.uri("/introspect"), "gatehouse", "s3cret", ISSUER,
                    List.of(AUDIENCE), ClaimsReader.gatehouse(), clock);
            introspection.respondWith(request -> new LoopbackServer.Response(429, "text/plain", "slow down", c.getKey()));

            assertThatThrownBy(() -> fresh.verify(TOKEN)).as(c.getKey().toString()).isInstanceOfSatisfying(VerifierUnavailableException.class,
                    e -> assertThat(e.retryAfter()).isEqualTo(c.getValue()));
        }
    }

    @Test
    @Tag("attack")
    @Tag("SEC19-3")
    void an_expiry_beyond_any_date_is_invalid_not_a_server_error() {
        for (String exp : List.of("1e300", "-1e300", "9223372036854775807", "99999999999999999999999", "31556889864403200")) {
            introspection.respondWith(request -> LoopbackServer.Response.json(
                    active(AUDIENCE, ISSUER, EXP).replace("\"exp\":" + EXP, "\"exp\":" + exp)));

            assertThatThrownBy(() -> verifier.verify(TOKEN)).as(exp).isInstanceOf(InvalidTokenException.class);
        }
    }

    @Test
    void a_refusal_of_one_request_is_not_remembered() {
        introspection.respondWith(request -> new LoopbackServer.Response(400, "application/json", "{\"error\":\"invalid_request\"}"));

        assertThatThrownBy(() -> verifier.verify(TOKEN)).isInstanceOf(VerifierUnavailableException.class);
        introspection.respondWith(request -> LoopbackServer.Response.json(active(AUDIENCE, ISSUER, EXP)));

        assertThat(verifier.verify(TOKEN).subject()).isEqualTo("user-1");
    }
}
