package io.gatehouse.rs.token;

import static io.gatehouse.rs.token.Tokens.AUDIENCE;
import static io.gatehouse.rs.token.Tokens.ISSUER;
import static io.gatehouse.rs.token.Tokens.claims;
import static io.gatehouse.rs.token.Tokens.rs256;
import static io.gatehouse.rs.token.Tokens.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** Every case runs twice: signatures checked by the JDK, and natively (AWS-LC), the default where it loads. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@ParameterizedClass(name = "native crypto: {0}")
@ValueSource(booleans = {false, true})
class JwtVerifierTest {

    @Parameter
    boolean nativeCrypto;

    private Signatures signatures;

    private static RSAKey KEY;
    private static RSAKey OTHER_KEY_SAME_KID;
    private static ECKey EC_KEY;

    private JwtVerifier verifier;

    @BeforeAll
    static void generate_keys() throws Exception {
        KEY = Tokens.rsaKey("rsa-1");
        OTHER_KEY_SAME_KID = Tokens.rsaKey("rsa-1");
        EC_KEY = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    }

    @BeforeEach
    void trust_the_rsa_and_ec_public_keys() throws Exception {
        signatures = nativeCrypto ? Signatures.preferNative() : Signatures.jdk();
        if (nativeCrypto && NativeCryptoPlatform.expected()) {
            assertThat(signatures.awaitNative()).as("the native provider loads on Linux x86-64").isTrue();
        }
        verifier = new JwtVerifier(KeySources.local(new JWKSet(List.of(KEY.toPublicJWK(), EC_KEY.toPublicJWK()))),
                ISSUER, List.of(AUDIENCE), Duration.ofSeconds(60), ClaimsReader.gatehouse(), signatures);
    }

    private static Date inSeconds(long seconds) {
        return Date.from(Instant.now().plusSeconds(seconds));
    }

    @Test
    void a_valid_rs256_token_becomes_an_access_token_with_every_claim_read() throws Exception {
        Date exp = inSeconds(300);
        AccessToken token = verifier.verify(rs256(KEY, claims().expirationTime(exp).build()));

        assertThat(token.issuer()).isEqualTo(ISSUER);
        assertThat(token.subject()).isEqualTo("user-1");
        assertThat(token.username()).isEqualTo("alice");
        assertThat(token.clientId()).isEqualTo("client-1");
        assertThat(token.scopes()).containsExactlyInAnyOrder("mcp:read", "mcp:tools");
        assertThat(token.roles()).containsExactly("editor");
        assertThat(token.audience()).containsExactly(AUDIENCE);
        assertThat(token.expiresAt()).isEqualTo(Instant.ofEpochSecond(exp.toInstant().getEpochSecond()));
    }

    @Test
    void the_client_id_falls_back_to_azp_and_the_username_to_the_subject() throws Exception {
        AccessToken token = verifier.verify(rs256(KEY, claims().claim("client_id", null)
                .claim("preferred_username", null).claim("azp", "azp-client").build()));

        assertThat(token.clientId()).isEqualTo("azp-client");
        assertThat(token.username()).isEqualTo("user-1");
    }

    @Test
    void an_es256_token_is_accepted() throws Exception {
        AccessToken token = verifier.verify(sign(EC_KEY, JWSAlgorithm.ES256, new JOSEObjectType("at+jwt"), claims().build()));

        assertThat(token.subject()).isEqualTo("user-1");
    }

    @Test
    void an_at_jwt_token_and_a_keycloak_token_typed_bearer_in_its_claims_are_accepted_by_default() throws Exception {
        assertThat(verifier.verify(sign(KEY, JWSAlgorithm.RS256, new JOSEObjectType("at+jwt"), claims().build())).subject())
                .isEqualTo("user-1");
        assertThat(verifier.verify(sign(KEY, JWSAlgorithm.RS256, JOSEObjectType.JWT, claims().claim("typ", "Bearer").build())).subject())
                .isEqualTo("user-1");
        assertThat(verifier.verify(sign(KEY, JWSAlgorithm.RS256, null, claims().claim("typ", "Bearer").build())).subject())
                .isEqualTo("user-1");
    }

    @Test
    @Tag("SEC19-3")
    void a_token_with_no_type_marker_is_refused_unless_unmarked_tokens_are_accepted() throws Exception {
        String plain = sign(KEY, JWSAlgorithm.RS256, JOSEObjectType.JWT, claims().build());
        String untyped = sign(KEY, JWSAlgorithm.RS256, null, claims().build());
        JwtVerifier lenient = new JwtVerifier(KeySources.local(new JWKSet(KEY.toPublicJWK())), ISSUER, List.of(AUDIENCE),
                Duration.ofSeconds(60), ClaimsReader.gatehouse(), TokenTypes.parse(List.of("at+jwt", "Bearer", "unmarked")), signatures);

        assertThatThrownBy(() -> verifier.verify(plain)).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> verifier.verify(untyped)).isInstanceOf(InvalidTokenException.class);
        assertThat(lenient.verify(plain).subject()).isEqualTo("user-1");
        assertThat(lenient.verify(untyped).subject()).isEqualTo("user-1");
    }

    @Test
    @Tag("SEC19-3")
    void id_refresh_and_logout_tokens_are_refused_whatever_is_accepted() throws Exception {
        JwtVerifier lenient = new JwtVerifier(KeySources.local(new JWKSet(KEY.toPublicJWK())), ISSUER, List.of(AUDIENCE),
                Duration.ofSeconds(60), ClaimsReader.gatehouse(), TokenTypes.parse(List.of("at+jwt", "Bearer", "unmarked")), signatures);
        for (String typ : List.of("ID", "Refresh", "Logout", "Offline", "id_token")) {
            for (JOSEObjectType header : new JOSEObjectType[] {JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null}) {
                String token = sign(KEY, JWSAlgorithm.RS256, header, claims().claim("typ", typ).build());
                assertThatThrownBy(() -> lenient.verify(token)).as(typ + " " + header).isInstanceOf(InvalidTokenException.class);
                assertThatThrownBy(() -> verifier.verify(token)).as(typ + " " + header).isInstanceOf(InvalidTokenException.class);
            }
        }
        String cognitoId = sign(KEY, JWSAlgorithm.RS256, JOSEObjectType.JWT, claims().claim("token_use", "id").build());
        assertThatThrownBy(() -> lenient.verify(cognitoId)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void gatehouse_s_own_verifier_accepts_at_jwt_only() throws Exception {
        JwtVerifier own = new JwtVerifier(KeySources.local(new JWKSet(KEY.toPublicJWK())), ISSUER, List.of(AUDIENCE),
                Duration.ofSeconds(60), ClaimsReader.gatehouse(), TokenTypes.AT_JWT_ONLY, signatures);

        assertThat(own.verify(rs256(KEY, claims().build())).subject()).isEqualTo("user-1");
        String bearer = sign(KEY, JWSAlgorithm.RS256, JOSEObjectType.JWT, claims().claim("typ", "Bearer").build());
        assertThatThrownBy(() -> own.verify(bearer)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    @Tag("RS-09")
    void an_unsigned_alg_none_token_is_rejected() throws Exception {
        String unsigned = new PlainJWT(claims().build()).serialize();

        assertThatThrownBy(() -> verifier.verify(unsigned)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    @Tag("RS-09")
    void an_alg_none_header_glued_to_a_real_signature_is_rejected() throws Exception {
        String signed = rs256(KEY, claims().build());
        String[] parts = signed.split("\\.");
        String noneHeader = Base64URL.encode("{\"alg\":\"none\",\"kid\":\"rsa-1\"}").toString();

        assertThatThrownBy(() -> verifier.verify(noneHeader + "." + parts[1] + "." + parts[2]))
                .isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> verifier.verify(noneHeader + "." + parts[1] + "."))
                .isInstanceOf(InvalidTokenException.class);
    }

    @Test
    @Tag("RS-09")
    void an_hs256_token_keyed_with_the_public_rsa_key_bytes_is_rejected() throws Exception {
        OctetSequenceKey confused = new OctetSequenceKey.Builder(KEY.toPublicKey().getEncoded()).keyID("rsa-1").build();
        String forged = sign(confused, JWSAlgorithm.HS256, JOSEObjectType.JWT, claims().build());

        assertThatThrownBy(() -> verifier.verify(forged)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    @Tag("RS-09")
    void an_hs256_token_is_rejected_even_when_the_key_source_holds_its_secret() throws Exception {
        OctetSequenceKey secret = new OctetSequenceKeyGenerator(256).keyID("hmac-1").generate();
        JwtVerifier withSecret = new JwtVerifier(KeySources.local(new JWKSet(List.of(KEY.toPublicJWK(), secret))),
                ISSUER, List.of(AUDIENCE), Duration.ofSeconds(60), ClaimsReader.gatehouse(), signatures);

        String hmac = sign(secret, JWSAlgorithm.HS256, JOSEObjectType.JWT, claims().build());

        assertThatThrownBy(() -> withSecret.verify(hmac)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    @Tag("RS-09")
    void a_token_signed_by_another_key_with_the_same_kid_is_rejected() throws Exception {
        String forged = rs256(OTHER_KEY_SAME_KID, claims().build());

        assertThatThrownBy(() -> verifier.verify(forged)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    @Tag("RS-09")
    void a_token_with_an_unknown_kid_is_rejected() throws Exception {
        String unknown = rs256(Tokens.rsaKey("unknown"), claims().build());

        assertThatThrownBy(() -> verifier.verify(unknown)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    @Tag("RS-09")
    void a_tampered_payload_is_rejected() throws Exception {
        String[] parts = rs256(KEY, claims().build()).split("\\.");
        String elevated = Base64URL.encode(claims().claim("scope", "mcp:read mcp:tools admin").build().toString()).toString();

        assertThatThrownBy(() -> verifier.verify(parts[0] + "." + elevated + "." + parts[2]))
                .isInstanceOf(InvalidTokenException.class);
    }

    @Test
    @Tag("RS-09")
    void a_jku_header_pointing_at_an_attacker_jwks_is_never_followed() throws Exception {
        RSAKey attacker = Tokens.rsaKey("attacker");
        try (LoopbackServer attackerJwks = LoopbackServer.start(
                request -> LoopbackServer.Response.json(new JWKSet(attacker.toPublicJWK()).toString()))) {
            JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("attacker")
                    .jwkURL(attackerJwks.uri("/jwks.json")).build();
            String forged = sign(attacker, header, claims().build());

            assertThatThrownBy(() -> verifier.verify(forged)).isInstanceOf(InvalidTokenException.class);
            assertThat(attackerJwks.hits()).isZero();
        }
    }

    @Test
    @Tag("RS-09")
    void an_embedded_jwk_header_is_never_trusted() throws Exception {
        RSAKey attacker = Tokens.rsaKey("attacker");
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("attacker").jwk(attacker.toPublicJWK()).build();
        String forged = sign(attacker, header, claims().build());

        assertThatThrownBy(() -> verifier.verify(forged)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    @Tag("RS-09")
    void an_expired_token_is_rejected_as_expired() throws Exception {
        String expired = rs256(KEY, claims().expirationTime(inSeconds(-120)).build());

        assertThatThrownBy(() -> verifier.verify(expired))
                .isInstanceOfSatisfying(InvalidTokenException.class,
                        e -> assertThat(e.publicDescription()).containsIgnoringCase("expired"));
    }

    @Test
    void a_token_expired_within_the_clock_skew_is_accepted() throws Exception {
        String justExpired = rs256(KEY, claims().expirationTime(inSeconds(-20)).build());

        assertThat(verifier.verify(justExpired).subject()).isEqualTo("user-1");
    }

    @Test
    @Tag("RS-09")
    void a_token_not_yet_valid_beyond_the_clock_skew_is_rejected() throws Exception {
        String future = rs256(KEY, claims().notBeforeTime(inSeconds(180)).build());

        assertThatThrownBy(() -> verifier.verify(future)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void a_token_valid_from_within_the_clock_skew_is_accepted() throws Exception {
        String almost = rs256(KEY, claims().notBeforeTime(inSeconds(20)).build());

        assertThat(verifier.verify(almost).subject()).isEqualTo("user-1");
    }

    @Test
    @Tag("attack")
    @Tag("SEC19-3")
    void a_signed_token_with_an_empty_subject_is_rejected() throws Exception {
        for (String subject : List.of("", "  ")) {
            String anonymous = rs256(KEY, claims().subject(subject).build());

            assertThatThrownBy(() -> verifier.verify(anonymous)).as("'" + subject + "'").isInstanceOf(InvalidTokenException.class);
        }
        assertThatThrownBy(() -> verifier.verify(rs256(KEY, claims().subject(null).build()))).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    @Tag("RS-09")
    void a_token_from_another_issuer_is_rejected() throws Exception {
        String foreign = rs256(KEY, claims().issuer("https://evil.example").build());

        assertThatThrownBy(() -> verifier.verify(foreign)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    @Tag("RS-09")
    void a_token_with_an_issuer_differing_only_by_a_trailing_slash_is_rejected() throws Exception {
        String foreign = rs256(KEY, claims().issuer(ISSUER + "/").build());

        assertThatThrownBy(() -> verifier.verify(foreign)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    @Tag("RS-08")
    void a_token_for_another_audience_is_rejected() throws Exception {
        String foreign = rs256(KEY, claims().audience("https://other.example/mcp").build());

        assertThatThrownBy(() -> verifier.verify(foreign)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    @Tag("RS-08")
    void a_token_whose_audience_list_includes_this_server_is_accepted() throws Exception {
        String multi = rs256(KEY, claims().audience(List.of("https://other.example", AUDIENCE)).build());

        assertThat(verifier.verify(multi).audience()).containsExactly("https://other.example", AUDIENCE);
    }

    @Test
    @Tag("RS-08")
    void a_token_without_audience_is_rejected() throws Exception {
        String noAudience = rs256(KEY, claims().audience((String) null).build());

        assertThatThrownBy(() -> verifier.verify(noAudience)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    @Tag("RS-09")
    void a_token_without_expiry_is_rejected() throws Exception {
        String forever = rs256(KEY, claims().expirationTime(null).build());

        assertThatThrownBy(() -> verifier.verify(forever)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    @Tag("RS-09")
    void a_token_without_subject_is_rejected() throws Exception {
        String anonymous = rs256(KEY, claims().subject(null).build());

        assertThatThrownBy(() -> verifier.verify(anonymous)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    @Tag("RS-09")
    void garbage_and_encrypted_looking_strings_are_rejected_as_invalid() throws Exception {
        assertThatThrownBy(() -> verifier.verify("not-a-jwt")).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> verifier.verify("a.b.c")).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> verifier.verify("eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d"))
                .isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void the_public_description_of_a_rejection_reveals_nothing_about_why() throws Exception {
        String foreign = rs256(KEY, claims().issuer("https://evil.example").build());

        assertThatThrownBy(() -> verifier.verify(foreign))
                .isInstanceOfSatisfying(InvalidTokenException.class, e -> assertThat(e.publicDescription())
                        .isEqualTo("The access token is not valid for this resource")
                        .doesNotContain("evil"));
    }

    @Test
    @Tag("RS-08")
    void a_verifier_without_audiences_cannot_be_built() throws Exception {
        assertThatThrownBy(() -> new JwtVerifier(KeySources.local(new JWKSet(KEY.toPublicJWK())), ISSUER, List.of(),
                Duration.ofSeconds(60), ClaimsReader.gatehouse(), signatures))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
