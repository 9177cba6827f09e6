package io.gatehouse.as;

import static io.gatehouse.as.OAuthDriver.accessToken;
import static io.gatehouse.as.OAuthDriver.body;
import static io.gatehouse.as.OAuthDriver.json;
import static io.gatehouse.as.OAuthDriver.jti;
import static io.gatehouse.as.OAuthDriver.jwtClaims;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.as.OAuthDriver.Client;
import io.gatehouse.as.web.AsResponse;
import io.gatehouse.as.users.User;
import io.gatehouse.as.users.UserDirectory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

    @Test
    @Tag("SEC10-4")
    void rotation_never_extends_a_family_past_its_maximum_lifetime() {
        String current = refreshToken;
        for (int i = 0; i < 3; i++) {
            as.clock.advance(Duration.ofDays(29));
            AsResponse rotated = as.refresh(client, current);
            assertThat(rotated.status()).as(body(rotated)).isEqualTo(200);
            current = (String) json(rotated).get("refresh_token");
        }
        as.clock.advance(Duration.ofDays(4));

        AsResponse afterNinetyDays = as.refresh(client, current);

        assertThat(afterNinetyDays.status()).isEqualTo(400);
        assertThat(json(afterNinetyDays)).containsEntry("error", "invalid_grant").doesNotContainKey("access_token");
    }

    @Test
    @Tag("SEC10-4")
    void a_family_started_longer_ago_than_a_shortened_maximum_lifetime_is_refused() {
        AsSettings defaults = OAuthDriver.settings(true, Optional.empty());
        AsSettings shorter = new AsSettings(defaults.issuer(), defaults.resources(), defaults.scopesSupported(), defaults.accessTokenTtl(),
                defaults.refreshTokenTtl(), defaults.codeTtl(), true, Optional.empty(), false, false, false, Duration.ofDays(30),
                Duration.ofDays(1));
        as.clock.advance(Duration.ofDays(2));

        OAuthDriver restarted = new OAuthDriver(shorter, as.clock, as.stores, OAuthDriver.USERS);

        assertThat(json(restarted.refresh(client, refreshToken))).containsEntry("error", "invalid_grant");
    }

    @Test
    @Tag("SEC10-4")
    void a_refresh_for_a_user_who_is_gone_is_refused_and_revokes_the_family() {
        OAuthDriver withoutAlice = new OAuthDriver(OAuthDriver.settings(true, Optional.empty()), as.clock, as.stores,
                new UserDirectory(List.of()));

        AsResponse response = withoutAlice.refresh(client, refreshToken);

        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response)).containsEntry("error", "invalid_grant").doesNotContainKey("access_token");
        assertThat(as.server.isRevoked(jti(first))).isTrue();
        assertThat(json(as.refresh(client, refreshToken))).containsEntry("error", "invalid_grant");
    }

    @Test
    @Tag("SEC10-4")
    void a_refresh_for_a_disabled_user_is_refused() {
        User alice = OAuthDriver.ALICE;
        OAuthDriver aliceDisabled = new OAuthDriver(OAuthDriver.settings(true, Optional.empty()), as.clock, as.stores,
                new UserDirectory(List.of(new User(alice.username(), alice.passwordHash(), alice.roles(), alice.allowedScopes(), true))));

        assertThat(json(aliceDisabled.refresh(client, refreshToken))).containsEntry("error", "invalid_grant");
    }

    @Test
    @Tag("SEC10-4")
    void a_refresh_for_a_demoted_user_carries_only_what_the_user_holds_now() {
        User alice = OAuthDriver.ALICE;
        OAuthDriver demoted = new OAuthDriver(OAuthDriver.settings(true, Optional.empty()), as.clock, as.stores,
                new UserDirectory(List.of(new User(alice.username(), alice.passwordHash(), Set.of("guest"), Set.of("mcp:read")))));

        AsResponse response = demoted.refresh(client, refreshToken);

        assertThat(response.status()).as(body(response)).isEqualTo(200);
        Map<String, Object> claims = jwtClaims(accessToken(json(response)));
        assertThat(json(response)).containsEntry("scope", "mcp:read");
        assertThat(claims).containsEntry("scope", "mcp:read").containsEntry("roles", List.of());
        AsResponse wideAgain = demoted.refresh(client, (String) json(response).get("refresh_token"), "scope", "mcp:read mcp:tools");
        assertThat(json(wideAgain)).containsEntry("error", "invalid_scope");
    }
}
