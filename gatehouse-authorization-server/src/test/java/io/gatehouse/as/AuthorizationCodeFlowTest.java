package io.gatehouse.as;

import static io.gatehouse.as.OAuthDriver.ADMIN_PASSWORD;
import static io.gatehouse.as.OAuthDriver.RESOURCE;
import static io.gatehouse.as.OAuthDriver.accessToken;
import static io.gatehouse.as.OAuthDriver.body;
import static io.gatehouse.as.OAuthDriver.json;
import static io.gatehouse.as.OAuthDriver.jwtClaims;
import static io.gatehouse.as.OAuthDriver.jwtHeader;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.gatehouse.as.OAuthDriver.Authorization;
import io.gatehouse.as.OAuthDriver.Client;
import io.gatehouse.as.web.AsResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The authorization code flow from the browser redirect to the access token. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AuthorizationCodeFlowTest {

    final OAuthDriver as = new OAuthDriver();
    final Client client = as.registerPublic();

    @Test
    @Tag("AS-13")
    void the_flow_ends_with_a_redirect_carrying_code_state_and_iss() {
        Authorization authorization = as.authorize(client, "state", "opaque-state-42");

        assertThat(authorization.callback()).containsOnlyKeys("code", "state", "iss")
                .containsEntry("state", "opaque-state-42")
                .containsEntry("iss", "http://localhost:9000");
        assertThat(authorization.code()).hasSizeGreaterThanOrEqualTo(32);
        AsResponse redirect = as.responses.getLast();
        assertThat(redirect.headers().get("Location")).startsWith(OAuthDriver.LOOPBACK_REDIRECT + "?");
    }

    @Test
    @Tag("AS-15")
    void the_token_response_is_an_uncacheable_bearer_token_with_a_refresh_token() {
        AsResponse response = as.exchange(as.authorize(client));

        assertThat(response.status()).as(body(response)).isEqualTo(200);
        assertThat(response.headers()).containsEntry("Cache-Control", "no-store")
                .containsEntry("Pragma", "no-cache")
                .containsEntry("Content-Type", "application/json");
        Map<String, Object> tokens = json(response);
        assertThat(tokens).containsKeys("access_token", "refresh_token")
                .containsEntry("token_type", "Bearer")
                .containsEntry("scope", "mcp:read mcp:tools");
        assertThat(((Number) tokens.get("expires_in")).longValue()).isEqualTo(900);
    }

    @Test
    @Tag("AS-09")
    void the_access_token_is_an_rfc9068_jwt_for_exactly_the_resource() throws Exception {
        String token = accessToken(as.tokens(client));

        Map<String, Object> header = jwtHeader(token);
        assertThat(header).containsEntry("typ", "at+jwt").containsEntry("alg", "RS256").containsKey("kid");
        Map<String, Object> claims = jwtClaims(token);
        assertThat(claims.get("aud")).isIn(RESOURCE, List.of(RESOURCE));
        assertThat(claims).containsEntry("iss", "http://localhost:9000")
                .containsEntry("sub", "alice")
                .containsEntry("preferred_username", "alice")
                .containsEntry("client_id", client.id())
                .containsEntry("scope", "mcp:read mcp:tools")
                .containsEntry("roles", List.of("user"))
                .containsKey("jti");
        long lifetime = ((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue();
        assertThat(lifetime).isEqualTo(900);
        SignedJWT jwt = SignedJWT.parse(token);
        RSASSAVerifier verifier = new RSASSAVerifier(as.server.publicKeys().getKeyByKeyId((String) header.get("kid")).toRSAKey());
        assertThat(jwt.verify(verifier)).isTrue();
    }

    @Test
    void a_scope_the_user_may_not_have_is_left_out_of_the_token() {
        Map<String, Object> tokens = as.tokens(client, "scope", "mcp:read mcp:prompts");

        assertThat(tokens).containsEntry("scope", "mcp:read");
        assertThat(jwtClaims(accessToken(tokens))).containsEntry("scope", "mcp:read");
    }

    @Test
    void an_admin_gets_every_scope_asked_for() {
        Authorization authorization = as.authorizeAs("admin", ADMIN_PASSWORD, client,
                "scope", "mcp:read mcp:tools mcp:prompts");

        Map<String, Object> tokens = json(as.exchange(authorization));

        assertThat(tokens).containsEntry("scope", "mcp:prompts mcp:read mcp:tools");
        assertThat(jwtClaims(accessToken(tokens))).containsEntry("roles", List.of("admin"))
                .containsEntry("preferred_username", "admin");
    }

    @Test
    void a_scope_the_server_does_not_support_is_never_granted() {
        Authorization authorization = as.authorizeAs("admin", ADMIN_PASSWORD, client, "scope", "mcp:read admin:everything");

        assertThat(json(as.exchange(authorization))).containsEntry("scope", "mcp:read");
    }
}
