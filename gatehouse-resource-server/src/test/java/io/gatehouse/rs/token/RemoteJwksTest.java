package io.gatehouse.rs.token;

import static io.gatehouse.rs.token.Tokens.AUDIENCE;
import static io.gatehouse.rs.token.Tokens.ISSUER;
import static io.gatehouse.rs.token.Tokens.claims;
import static io.gatehouse.rs.token.Tokens.rs256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RemoteJwksTest {

    private static final Duration CACHE_TIME = Duration.ofMinutes(5);
    private static RSAKey KEY;
    private static RSAKey NEXT_KEY;
    private static RSAKey STRANGER;

    private volatile JWKSet published;
    private LoopbackServer jwks;
    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeAll
    static void generate_keys() throws Exception {
        KEY = Tokens.rsaKey("key-1");
        NEXT_KEY = Tokens.rsaKey("key-2");
        STRANGER = Tokens.rsaKey("stranger");
    }

    @BeforeEach
    void start_jwks_endpoint() throws Exception {
        published = new JWKSet(KEY.toPublicJWK());
        jwks = LoopbackServer.start(request -> LoopbackServer.Response.json(published.toString()));
    }

    @AfterEach
    void stop_jwks_endpoint() {
        release.countDown();
        pool.shutdownNow();
        jwks.close();
    }

    private JwtVerifier verifier(Duration refetchInterval) {
        return new JwtVerifier(KeySources.remote(jwks.uri("/jwks.json"), CACHE_TIME, refetchInterval), ISSUER,
                List.of(AUDIENCE), Duration.ofSeconds(60), ClaimsReader.gatehouse(), Signatures.jdk());
    }

    private JwtVerifier verifier(Duration cacheTime, Duration refetchInterval, Duration timeout, Duration failureMemory) {
        return new JwtVerifier(new RemoteJwks(Optional.empty(), jwks.uri("/jwks.json"), cacheTime, refetchInterval, timeout,
                failureMemory, new JwksStatus(Clock.systemUTC())), ISSUER, List.of(AUDIENCE), Duration.ofSeconds(60),
                ClaimsReader.gatehouse(), Signatures.jdk());
    }

    private static String withKid(String kid) throws Exception {
        return Tokens.sign(new RSAKey.Builder(STRANGER).keyID(kid).build(), JWSAlgorithm.RS256, new JOSEObjectType("at+jwt"),
                claims().build());
    }

    /** Runs every verification at once; each outcome is the token's subject or the exception's class. */
    private List<String> concurrently(JwtVerifier verifier, List<String> tokens) throws Exception {
        List<Future<String>> outcomes = new ArrayList<>();
        for (String token : tokens) {
            outcomes.add(pool.submit(() -> {
                try {
                    return verifier.verify(token).subject();
                } catch (RuntimeException e) {
                    return e.getClass().getSimpleName();
                }
            }));
        }
        List<String> results = new ArrayList<>();
        for (Future<String> outcome : outcomes) {
            results.add(outcome.get(20, TimeUnit.SECONDS));
        }
        return results;
    }

    private void hangEveryRequest() {
        jwks.respondWith(request -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return LoopbackServer.Response.json(published.toString());
        });
    }

    @Test
    void the_key_set_is_fetched_once_and_cached_across_many_verifications() throws Exception {
        JwtVerifier verifier = verifier(Duration.ofMillis(200));

        for (int i = 0; i < 20; i++) {
            assertThat(verifier.verify(rs256(KEY, claims().build())).subject()).isEqualTo("user-1");
        }

        assertThat(jwks.hits()).isEqualTo(1);
        assertThat(jwks.requests()).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.path()).isEqualTo("/jwks.json");
        });
    }

    @Test
    @Tag("RS-09")
    void an_unknown_kid_is_rejected_after_one_refetch_and_then_without_asking_again() throws Exception {
        // within the refetch interval: after it, the key id may join the next refetch (see the test below)
        JwtVerifier verifier = verifier(Duration.ofSeconds(2));
        verifier.verify(rs256(KEY, claims().build()));
        int afterWarmUp = jwks.hits();
        String unknown = withKid("unknown");

        assertThatThrownBy(() -> verifier.verify(unknown)).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> verifier.verify(unknown)).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> verifier.verify(unknown)).isInstanceOf(InvalidTokenException.class);

        assertThat(jwks.hits() - afterWarmUp).isEqualTo(1);
    }

    @Test
    @Tag("RS-09")
    @Tag("SEC19-5")
    void a_concurrent_flood_of_random_kids_shares_one_refetch_and_every_token_is_rejected_as_invalid() throws Exception {
        JwtVerifier verifier = verifier(Duration.ofSeconds(2));
        verifier.verify(rs256(KEY, claims().build()));
        int afterWarmUp = jwks.hits();
        List<String> flood = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            flood.add(withKid(UUID.randomUUID().toString()));
        }

        assertThat(concurrently(verifier, flood)).containsOnly("InvalidTokenException");

        assertThat(jwks.hits() - afterWarmUp).isLessThanOrEqualTo(2);
    }

    @Test
    void a_flood_of_random_kids_does_not_lock_out_tokens_signed_by_a_known_key() throws Exception {
        JwtVerifier verifier = verifier(Duration.ofMillis(200));
        verifier.verify(rs256(KEY, claims().build()));
        List<String> flood = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            flood.add(withKid(UUID.randomUUID().toString()));
        }

        assertThat(concurrently(verifier, flood)).containsOnly("InvalidTokenException");
        assertThat(verifier.verify(rs256(KEY, claims().build())).subject()).isEqualTo("user-1");
    }

    @Test
    @Tag("SEC19-5")
    void a_rotated_in_key_is_accepted_at_once_while_junk_kids_keep_arriving() throws Exception {
        JwtVerifier verifier = verifier(Duration.ofMillis(300));
        verifier.verify(rs256(KEY, claims().build()));
        AtomicBoolean flooding = new AtomicBoolean(true);
        List<Future<?>> attackers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            attackers.add(pool.submit(() -> {
                for (int i = 0; i < 500 && flooding.get(); i++) {
                    try {
                        verifier.verify(withKid(UUID.randomUUID().toString()));
                    } catch (Exception expected) {
                        // refused, as junk must be
                    }
                }
                return null;
            }));
        }

        published = new JWKSet(List.of(KEY.toPublicJWK(), NEXT_KEY.toPublicJWK()));
        String rotated = rs256(NEXT_KEY, claims().build());
        try {
            assertThat(verifier.verify(rotated).subject()).isEqualTo("user-1");
            assertThat(verifier.verify(rs256(KEY, claims().build())).subject()).isEqualTo("user-1");
        } finally {
            flooding.set(false);
            for (Future<?> attacker : attackers) {
                attacker.get(20, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    @Tag("attack")
    @Tag("SEC19-5")
    void a_kid_presented_before_the_provider_publishes_it_is_accepted_once_published_after_one_refetch_interval() throws Exception {
        Duration interval = Duration.ofMillis(300);
        JwtVerifier verifier = verifier(interval);
        verifier.verify(rs256(KEY, claims().build()));
        String early = rs256(NEXT_KEY, claims().build());
        assertThatThrownBy(() -> verifier.verify(early)).isInstanceOf(InvalidTokenException.class);
        int afterRefusal = jwks.hits();

        published = new JWKSet(List.of(KEY.toPublicJWK(), NEXT_KEY.toPublicJWK()));
        Thread.sleep(interval.plusMillis(50).toMillis());

        assertThat(verifier.verify(early).subject()).isEqualTo("user-1");
        assertThat(verifier.verify(rs256(KEY, claims().build())).subject()).isEqualTo("user-1");
        assertThat(jwks.hits() - afterRefusal).isEqualTo(1);
    }

    @Test
    void a_rotated_in_key_is_accepted_without_waiting_out_an_interval() throws Exception {
        JwtVerifier verifier = verifier(Duration.ofMillis(200));
        verifier.verify(rs256(KEY, claims().build()));

        published = new JWKSet(List.of(KEY.toPublicJWK(), NEXT_KEY.toPublicJWK()));

        assertThat(verifier.verify(rs256(NEXT_KEY, claims().build())).subject()).isEqualTo("user-1");
        assertThat(verifier.verify(rs256(KEY, claims().build())).subject()).isEqualTo("user-1");
        assertThat(jwks.hits()).isEqualTo(2);
    }

    @Test
    void a_stopped_jwks_endpoint_makes_the_verifier_unavailable_rather_than_the_token_invalid() throws Exception {
        JwtVerifier verifier = verifier(Duration.ofMillis(200));
        jwks.close();

        assertThatThrownBy(() -> verifier.verify(rs256(KEY, claims().build())))
                .isInstanceOf(VerifierUnavailableException.class);
    }

    @Test
    void a_failing_jwks_endpoint_makes_the_verifier_unavailable_rather_than_the_token_invalid() throws Exception {
        jwks.respondWith(request -> LoopbackServer.Response.status(500));
        JwtVerifier verifier = verifier(Duration.ofMillis(200));

        assertThatThrownBy(() -> verifier.verify(rs256(KEY, claims().build())))
                .isInstanceOf(VerifierUnavailableException.class);
    }

    @Test
    @Tag("issue-15")
    void every_fetch_of_the_key_set_is_counted_by_outcome() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        JwksStatus status = new JwksStatus(Clock.systemUTC(), registry);
        JwtVerifier fetching = new JwtVerifier(new RemoteJwks(Optional.empty(), jwks.uri("/jwks.json"), CACHE_TIME, Duration.ofMillis(100),
                Duration.ofSeconds(3), Duration.ofMillis(100), status), ISSUER, List.of(AUDIENCE), Duration.ofSeconds(60),
                ClaimsReader.gatehouse(), Signatures.jdk());
        fetching.verify(rs256(KEY, claims().build()));
        fetching.verify(rs256(KEY, claims().build()));
        assertThat(registry.get("gatehouse.jwks.refreshes").tag("outcome", "ok").counter().count()).isEqualTo(1);

        jwks.respondWith(request -> LoopbackServer.Response.status(500));
        JwtVerifier failing = new JwtVerifier(new RemoteJwks(Optional.empty(), jwks.uri("/jwks.json"), CACHE_TIME, Duration.ofMillis(100),
                Duration.ofSeconds(3), Duration.ofMinutes(1), status), ISSUER, List.of(AUDIENCE), Duration.ofSeconds(60),
                ClaimsReader.gatehouse(), Signatures.jdk());
        assertThatThrownBy(() -> failing.verify(rs256(KEY, claims().build()))).isInstanceOf(VerifierUnavailableException.class);
        assertThat(registry.get("gatehouse.jwks.refreshes").tag("outcome", "failed").counter().count()).isEqualTo(1);
        assertThat(registry.get("gatehouse.jwks.refreshes").tag("outcome", "ok").counter().count()).isEqualTo(1);
    }

    @Test
    void a_jwks_endpoint_serving_garbage_makes_the_verifier_unavailable() throws Exception {
        jwks.respondWith(request -> LoopbackServer.Response.json("<html>maintenance</html>"));
        JwtVerifier verifier = verifier(Duration.ofMillis(200));

        assertThatThrownBy(() -> verifier.verify(rs256(KEY, claims().build())))
                .isInstanceOf(VerifierUnavailableException.class);
    }

    @Test
    @Tag("SEC19-7")
    void a_failure_is_remembered_every_later_request_is_unavailable_with_a_retry_time_and_never_invalid() throws Exception {
        jwks.respondWith(request -> LoopbackServer.Response.status(503));
        JwtVerifier verifier = verifier(CACHE_TIME, Duration.ofMillis(100), Duration.ofSeconds(3), Duration.ofMinutes(5));

        for (int i = 0; i < 100; i++) {
            String token = i % 2 == 0 ? rs256(KEY, claims().build()) : withKid("unknown-" + i);
            assertThatThrownBy(() -> verifier.verify(token)).isInstanceOfSatisfying(VerifierUnavailableException.class,
                    e -> assertThat(e.retryAfter()).isPositive());
        }

        assertThat(jwks.hits()).isEqualTo(1);
    }

    @Test
    @Tag("SEC19-5")
    void a_hanging_jwks_endpoint_holds_concurrent_requests_no_longer_than_the_fetch_timeout_and_recovers() throws Exception {
        hangEveryRequest();
        JwtVerifier verifier = verifier(CACHE_TIME, Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofMillis(500));
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            tokens.add(rs256(KEY, claims().build()));
        }

        // a request waits at most the fetch timeout: were they queued behind each other, 20 would take 10 s
        assertThat(concurrently(verifier, tokens)).containsOnly("VerifierUnavailableException");
        assertThat(concurrently(verifier, tokens)).containsOnly("VerifierUnavailableException");
        assertThat(jwks.hits()).isEqualTo(1);

        release.countDown();
        Instant deadline = Instant.now().plusSeconds(15);
        String outcome = "";
        while (!outcome.equals("user-1") && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            outcome = concurrently(verifier, List.of(rs256(KEY, claims().build()))).get(0);
        }
        assertThat(outcome).isEqualTo("user-1");
    }

    private RemoteJwks source(Duration cacheTime) {
        return new RemoteJwks(Optional.empty(), jwks.uri("/jwks.json"), cacheTime, Duration.ofMillis(10), Duration.ofSeconds(1),
                Duration.ofSeconds(1), new JwksStatus(Clock.systemUTC()));
    }

    private static JWKSelector key1() {
        return new JWKSelector(new JWKMatcher.Builder().keyID("key-1").build());
    }

    @Test
    void held_keys_keep_serving_while_the_jwks_endpoint_is_down_even_once_they_are_stale() throws Exception {
        RemoteJwks source = source(Duration.ofMillis(1));
        assertThat(source.get(key1(), null)).hasSize(1);
        jwks.close();
        Thread.sleep(20);

        for (int i = 0; i < 5; i++) {
            assertThat(source.get(key1(), null)).hasSize(1);
            Thread.sleep(20);
        }
    }

    @Test
    void a_stale_key_set_is_refreshed_in_the_background_while_the_held_one_serves() throws Exception {
        RemoteJwks source = source(Duration.ofMillis(50));
        source.get(key1(), null);
        Thread.sleep(100);

        assertThat(source.get(key1(), null)).hasSize(1);
        Instant deadline = Instant.now().plusSeconds(10);
        while (jwks.hits() < 2 && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertThat(jwks.hits()).isEqualTo(2);
    }

    @Test
    void the_jwks_url_is_found_through_the_issuers_discovery_document_by_the_first_fetch() throws Exception {
        String issuer = jwks.uri("").toString();
        jwks.respondWith(request -> request.path().equals("/.well-known/openid-configuration")
                ? LoopbackServer.Response.json("{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/certs\","
                        + "\"authorization_endpoint\":\"" + issuer + "/auth\",\"response_types_supported\":[\"code\"],"
                        + "\"subject_types_supported\":[\"public\"],\"id_token_signing_alg_values_supported\":[\"RS256\"]}")
                : LoopbackServer.Response.json(published.toString()));
        JwksStatus status = new JwksStatus(Clock.systemUTC());
        JwtVerifier verifier = new JwtVerifier(KeySources.discovered(issuer, CACHE_TIME, Duration.ofMillis(100), Duration.ofSeconds(3),
                status), issuer, List.of(AUDIENCE), Duration.ofSeconds(60), ClaimsReader.gatehouse(), Signatures.jdk());

        assertThat(status.snapshot().url()).isEqualTo("(not resolved yet)");
        assertThat(verifier.verify(rs256(KEY, claims().issuer(issuer).build())).subject()).isEqualTo("user-1");
        assertThat(verifier.verify(rs256(KEY, claims().issuer(issuer).build())).subject()).isEqualTo("user-1");

        assertThat(jwks.requests()).extracting(LoopbackServer.Request::path).containsExactly("/.well-known/openid-configuration", "/certs");
        assertThat(status.snapshot().url()).isEqualTo(issuer + "/certs");
        assertThat(status.snapshot().reachable()).isTrue();
    }

    @Test
    void a_discovery_document_naming_another_issuer_makes_the_verifier_unavailable() throws Exception {
        String issuer = jwks.uri("").toString();
        jwks.respondWith(request -> LoopbackServer.Response.json("{\"issuer\":\"https://evil.example\",\"jwks_uri\":\"" + issuer + "/certs\"}"));
        JwtVerifier verifier = new JwtVerifier(KeySources.discovered(issuer, CACHE_TIME, Duration.ofMillis(100), Duration.ofSeconds(3),
                new JwksStatus(Clock.systemUTC())), issuer, List.of(AUDIENCE), Duration.ofSeconds(60), ClaimsReader.gatehouse(), Signatures.jdk());

        assertThatThrownBy(() -> verifier.verify(rs256(KEY, claims().issuer(issuer).build())))
                .isInstanceOf(VerifierUnavailableException.class);
        assertThat(jwks.requests()).extracting(LoopbackServer.Request::path).doesNotContain("/certs");
    }
}
