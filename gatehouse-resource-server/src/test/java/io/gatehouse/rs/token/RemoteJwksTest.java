package io.gatehouse.rs.token;

import static io.gatehouse.rs.token.Tokens.AUDIENCE;
import static io.gatehouse.rs.token.Tokens.ISSUER;
import static io.gatehouse.rs.token.Tokens.claims;
import static io.gatehouse.rs.token.Tokens.rs256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
        jwks.close();
    }

    private JwtVerifier verifier(Duration minRefetchInterval) {
        return new JwtVerifier(KeySources.remote(jwks.uri("/jwks.json"), CACHE_TIME, minRefetchInterval), ISSUER,
                List.of(AUDIENCE), Duration.ofSeconds(60), new ClaimsReader(ClaimsReader.DEFAULT_ROLE_CLAIMS), Signatures.jdk());
    }

    private static String withKid(String kid) throws Exception {
        return Tokens.sign(new RSAKey.Builder(STRANGER).keyID(kid).build(), JWSAlgorithm.RS256, JOSEObjectType.JWT,
                claims().build());
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
    void an_unknown_kid_is_rejected_after_at_most_one_refetch() throws Exception {
        JwtVerifier verifier = verifier(Duration.ofSeconds(30));
        verifier.verify(rs256(KEY, claims().build()));
        int afterWarmUp = jwks.hits();

        assertThatThrownBy(() -> verifier.verify(withKid("unknown"))).isInstanceOf(InvalidTokenException.class);

        assertThat(jwks.hits() - afterWarmUp).isLessThanOrEqualTo(1);
    }

    @Test
    @Tag("RS-09")
    void a_flood_of_random_kids_is_rate_limited_and_every_token_is_still_rejected_as_invalid() throws Exception {
        JwtVerifier verifier = verifier(Duration.ofSeconds(30));
        verifier.verify(rs256(KEY, claims().build()));
        int afterWarmUp = jwks.hits();
        List<String> flood = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            flood.add(withKid(UUID.randomUUID().toString()));
        }

        assertThat(flood).allSatisfy(token ->
                assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(InvalidTokenException.class));

        assertThat(jwks.hits() - afterWarmUp).isLessThanOrEqualTo(2);
    }

    @Test
    void a_flood_of_random_kids_does_not_lock_out_tokens_signed_by_a_known_key() throws Exception {
        JwtVerifier verifier = verifier(Duration.ofSeconds(30));
        verifier.verify(rs256(KEY, claims().build()));
        for (int i = 0; i < 20; i++) {
            String token = withKid(UUID.randomUUID().toString());
            assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(InvalidTokenException.class);
        }

        assertThat(verifier.verify(rs256(KEY, claims().build())).subject()).isEqualTo("user-1");
    }

    @Test
    void a_rotated_in_key_is_picked_up_once_the_refetch_interval_has_passed() throws Exception {
        Duration interval = Duration.ofMillis(200);
        JwtVerifier verifier = verifier(interval);
        verifier.verify(rs256(KEY, claims().build()));

        published = new JWKSet(List.of(KEY.toPublicJWK(), NEXT_KEY.toPublicJWK()));
        Thread.sleep(interval.multipliedBy(2).toMillis());

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
    void a_jwks_endpoint_serving_garbage_makes_the_verifier_unavailable() throws Exception {
        jwks.respondWith(request -> LoopbackServer.Response.json("<html>maintenance</html>"));
        JwtVerifier verifier = verifier(Duration.ofMillis(200));

        assertThatThrownBy(() -> verifier.verify(rs256(KEY, claims().build())))
                .isInstanceOf(VerifierUnavailableException.class);
    }

    @Test
    void cached_keys_keep_verifying_while_the_jwks_endpoint_is_down() throws Exception {
        JwtVerifier verifier = verifier(Duration.ofMillis(200));
        verifier.verify(rs256(KEY, claims().build()));
        jwks.close();

        assertThat(verifier.verify(rs256(KEY, claims().build())).subject()).isEqualTo("user-1");
    }
}
