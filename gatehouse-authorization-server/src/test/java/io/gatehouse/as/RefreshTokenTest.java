package io.gatehouse.as;

import static io.gatehouse.as.OAuthDriver.accessToken;
import static io.gatehouse.as.OAuthDriver.body;
import static io.gatehouse.as.OAuthDriver.json;
import static io.gatehouse.as.OAuthDriver.jti;
import static io.gatehouse.as.OAuthDriver.jwtClaims;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.as.OAuthDriver.Client;
import io.gatehouse.as.web.AsResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** AS-12: refresh tokens rotate, a reused one revokes its family, and a refresh never widens the grant. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("AS-12")
class RefreshTokenTest {

    final OAuthDriver as = new OAuthDriver();
    final Client client = as.registerPublic();
    final Map<String, Object> first = as.tokens(client);
    final String refreshToken = (String) first.get("refresh_token");

    @Test
    @Tag("AS-15")
    void a_refresh_rotates_the_refresh_token() {
        AsResponse response = as.refresh(client, refreshToken);

        assertThat(response.status()).as(body(response)).isEqualTo(200);
        assertThat(response.headers()).containsEntry("Cache-Control", "no-store");
        Map<String, Object> next = json(response);
        assertThat(next.get("refresh_token")).isNotNull().isNotEqualTo(refreshToken);
        assertThat(next.get("access_token")).isNotNull().isNotEqualTo(first.get("access_token"));
        assertThat(next).containsEntry("scope", "mcp:read mcp:tools").containsEntry("token_type", "Bearer");
    }

    @Test
    @Tag("hardening")
    void reusing_a_spent_refresh_token_revokes_the_whole_family() {
        Map<String, Object> rotated = json(as.refresh(client, refreshToken));

        AsResponse reuse = as.refresh(client, refreshToken);

        assertThat(reuse.status()).isEqualTo(400);
        assertThat(json(reuse)).containsEntry("error", "invalid_grant");
        assertThat(json(as.refresh(client, (String) rotated.get("refresh_token")))).containsEntry("error", "invalid_grant");
        assertThat(as.server.isRevoked(jti(rotated))).isTrue();
        assertThat(as.server.isRevoked(jti(first))).isTrue();
    }

    @Test
    void a_refresh_may_narrow_the_scope() {
        Map<String, Object> narrowed = json(as.refresh(client, refreshToken, "scope", "mcp:read"));

        assertThat(narrowed).containsEntry("scope", "mcp:read");
        assertThat(jwtClaims(accessToken(narrowed))).containsEntry("scope", "mcp:read");
    }

    @Test
    @Tag("hardening")
    void a_refresh_may_not_widen_the_scope() {
        AsResponse response = as.refresh(client, refreshToken, "scope", "mcp:read mcp:tools mcp:prompts");

        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response)).containsEntry("error", "invalid_scope").doesNotContainKey("access_token");
    }

    @Test
    @Tag("AS-09")
    @Tag("hardening")
    void a_refresh_for_another_resource_is_invalid_target() {
        AsResponse response = as.refresh(client, refreshToken, "resource", "http://evil.example/mcp");

        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response)).containsEntry("error", "invalid_target").doesNotContainKey("access_token");
    }

    @Test
    @Tag("AS-09")
    void a_refresh_naming_the_same_resource_keeps_the_audience() {
        Map<String, Object> next = json(as.refresh(client, refreshToken, "resource", OAuthDriver.RESOURCE));

        assertThat(jwtClaims(accessToken(next)).get("aud")).isIn(OAuthDriver.RESOURCE, java.util.List.of(OAuthDriver.RESOURCE));
    }

    @Test
    @Tag("hardening")
    void another_client_cannot_use_the_refresh_token() {
        Client other = as.registerPublic("Other App", OAuthDriver.LOOPBACK_REDIRECT);

        AsResponse response = as.refresh(other, refreshToken);

        assertThat(json(response)).containsEntry("error", "invalid_grant").doesNotContainKey("access_token");
    }

    @Test
    void a_refresh_token_expires_with_its_family() {
        as.clock.advance(Duration.ofDays(31));

        assertThat(json(as.refresh(client, refreshToken))).containsEntry("error", "invalid_grant");
    }
}
