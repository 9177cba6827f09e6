package io.gatehouse.as;

import static io.gatehouse.as.OAuthDriver.accessToken;
import static io.gatehouse.as.OAuthDriver.json;
import static io.gatehouse.as.OAuthDriver.jwtClaims;
import static io.gatehouse.as.OAuthDriver.params;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatehouse.as.OAuthDriver.Client;
import io.gatehouse.as.web.AsResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** RFC 7662 token introspection, for the resource servers the operator configured only. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class IntrospectionTest {

    final OAuthDriver as = new OAuthDriver();
    final Client client = as.registerPublic();
    final Client introspector = OAuthDriver.RESOURCE_SERVER;
    final String token = accessToken(as.tokens(client));

    @Test
    @Tag("hardening")
    void introspection_needs_client_authentication() {
        AsResponse anonymous = as.postForm(AuthorizationServer.INTROSPECT, params("token", token), Map.of(), Optional.empty());
        AsResponse publicClient = as.postForm(AuthorizationServer.INTROSPECT, params("token", token, "client_id", client.id()),
                Map.of(), Optional.empty());

        for (AsResponse response : List.of(anonymous, publicClient)) {
            assertThat(response.status()).isEqualTo(401);
            assertThat(json(response)).containsEntry("error", "invalid_client").doesNotContainKeys("active", "sub");
        }
    }

    @Test
    @Tag("SEC10-7")
    void a_confidential_client_that_is_not_a_configured_resource_server_is_refused_with_403() {
        Client selfRegistered = as.registerConfidential("client_secret_basic", "authorization_code");
        Client machine = OAuthDriver.MACHINE;

        for (Client caller : List.of(selfRegistered, machine)) {
            AsResponse response = as.introspect(caller, token);

            assertThat(response.status()).isEqualTo(403);
            assertThat(json(response)).containsEntry("error", "unauthorized_client").doesNotContainKeys("active", "sub", "scope");
        }
    }

    @Test
    @Tag("hardening")
    void a_wrong_secret_cannot_introspect() {
        Client impostor = new Client(introspector.id(), Optional.of("wrong-secret"), introspector.redirectUri());

        AsResponse response = as.introspect(impostor, token);

        assertThat(response.status()).isEqualTo(401);
        assertThat(json(response)).doesNotContainKey("active");
    }

    @Test
    void an_active_token_is_reported_with_its_claims() {
        AsResponse response = as.introspect(introspector, token);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers()).containsEntry("Cache-Control", "no-store");
        Map<String, Object> answer = json(response);
        assertThat(answer).containsEntry("active", true)
                .containsEntry("sub", "alice")
                .containsEntry("scope", "mcp:read mcp:tools")
                .containsEntry("client_id", client.id())
                .containsEntry("iss", "http://localhost:9000")
                .containsEntry("token_type", "Bearer")
                .containsEntry("jti", jwtClaims(token).get("jti"))
                .containsKey("exp");
        assertThat(answer.get("aud")).isIn(OAuthDriver.RESOURCE, List.of(OAuthDriver.RESOURCE));
    }

    @Test
    void a_revoked_token_is_inactive() {
        as.revoke(client, token);

        assertThat(json(as.introspect(introspector, token))).isEqualTo(Map.of("active", false));
    }

    @Test
    void an_expired_token_is_inactive() {
        as.clock.advance(Duration.ofMinutes(16));

        assertThat(json(as.introspect(introspector, token))).isEqualTo(Map.of("active", false));
    }

    @Test
    void garbage_is_inactive() {
        assertThat(json(as.introspect(introspector, "not.a.jwt"))).isEqualTo(Map.of("active", false));
    }

    @Test
    @Tag("hardening")
    void a_token_signed_by_another_key_is_inactive() throws Exception {
        JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
        RSAKey attacker = new RSAKeyGenerator(2048).keyID((String) OAuthDriver.jwtHeader(token).get("kid")).generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(attacker.getKeyID())
                .type(new JOSEObjectType("at+jwt")).build(), claims);
        forged.sign(new RSASSASigner(attacker));

        assertThat(json(as.introspect(introspector, forged.serialize()))).isEqualTo(Map.of("active", false));
        assertThat(json(as.introspect(introspector, token))).containsEntry("active", true);
    }

    @Test
    @Tag("hardening")
    void a_token_of_another_type_signed_with_the_servers_own_key_is_inactive() throws Exception {
        RSAKey serverKey = TestKeyStore.sharedKey().toRSAKey();
        assertThat(OAuthDriver.jwtHeader(token)).containsEntry("kid", serverKey.getKeyID());
        SignedJWT idToken = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(serverKey.getKeyID())
                .type(JOSEObjectType.JWT).build(), SignedJWT.parse(token).getJWTClaimsSet());
        idToken.sign(new RSASSASigner(serverKey));

        assertThat(json(as.introspect(introspector, idToken.serialize()))).isEqualTo(Map.of("active", false));
    }
}
