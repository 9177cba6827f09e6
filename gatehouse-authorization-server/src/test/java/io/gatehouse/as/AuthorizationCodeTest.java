package io.gatehouse.as;

import static io.gatehouse.as.OAuthDriver.accessToken;
import static io.gatehouse.as.OAuthDriver.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.as.OAuthDriver.Authorization;
import io.gatehouse.as.OAuthDriver.Client;
import io.gatehouse.as.web.AsResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** An authorization code is single use, short-lived, and bound to its client and redirect URI. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("hardening")
class AuthorizationCodeTest {

    final OAuthDriver as = new OAuthDriver();
    final Client client = as.registerPublic();

    @Test
    void a_replayed_code_is_refused_and_revokes_the_tokens_of_its_first_use() {
        Client introspector = OAuthDriver.RESOURCE_SERVER;
        Authorization authorization = as.authorize(client);
        Map<String, Object> first = json(as.exchange(authorization));
        assertThat(as.server.isRevoked(OAuthDriver.jti(first))).isFalse();

        AsResponse replay = as.exchange(authorization);

        assertThat(replay.status()).isEqualTo(400);
        assertThat(json(replay)).containsEntry("error", "invalid_grant");
        assertThat(as.server.isRevoked(OAuthDriver.jti(first))).isTrue();
        assertThat(json(as.introspect(introspector, accessToken(first)))).containsEntry("active", false);
        assertThat(json(as.refresh(client, (String) first.get("refresh_token")))).containsEntry("error", "invalid_grant");
    }

    @Test
    void a_code_issued_to_one_client_is_refused_to_another() {
        Client other = as.registerPublic("Other App", OAuthDriver.LOOPBACK_REDIRECT);
        Authorization authorization = as.authorize(client);

        AsResponse response = as.exchange(authorization, "client_id", other.id());

        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response)).containsEntry("error", "invalid_grant").doesNotContainKey("access_token");
    }

    @Test
    void a_code_is_refused_with_another_redirect_uri() {
        Authorization authorization = as.authorize(client);

        AsResponse response = as.exchange(authorization, "redirect_uri", "http://127.0.0.1:7777/elsewhere");

        assertThat(json(response)).containsEntry("error", "invalid_grant").doesNotContainKey("access_token");
    }

    @Test
    void a_code_is_refused_without_its_redirect_uri() {
        Authorization authorization = as.authorize(client);

        assertThat(json(as.exchange(authorization, "redirect_uri", null))).containsEntry("error", "invalid_grant");
    }

    @Test
    @Tag("SEC10-11")
    void a_code_whose_authorization_request_omitted_redirect_uri_is_redeemed_without_it() {
        Authorization authorization = as.authorize(client, "redirect_uri", null);

        AsResponse response = as.exchange(authorization, "redirect_uri", null);

        assertThat(response.status()).as(OAuthDriver.body(response)).isEqualTo(200);
        assertThat(json(response)).containsKey("access_token");
    }

    @Test
    @Tag("SEC10-11")
    void a_code_whose_authorization_request_omitted_redirect_uri_accepts_only_the_registered_one() {
        Authorization first = as.authorize(client, "redirect_uri", null);
        Authorization second = as.authorize(client, "redirect_uri", null);

        assertThat(json(as.exchange(first, "redirect_uri", "http://127.0.0.1:7777/elsewhere"))).containsEntry("error", "invalid_grant");
        assertThat(json(as.exchange(second, "redirect_uri", OAuthDriver.LOOPBACK_REDIRECT))).containsKey("access_token");
    }

    @Test
    void a_code_expires_after_its_lifetime_on_the_servers_clock() {
        // The server's clock is an hour behind the wall clock: the code's lifetime must follow the server's clock.
        OAuthDriver behind = new OAuthDriver(Instant.now().minus(Duration.ofHours(1)));
        Client app = behind.registerPublic();
        Authorization fresh = behind.authorize(app);
        Authorization stale = behind.authorize(app);

        behind.clock.advance(Duration.ofSeconds(30));
        AsResponse inTime = behind.exchange(fresh);
        behind.clock.advance(Duration.ofSeconds(90));
        AsResponse late = behind.exchange(stale);

        assertThat(inTime.status()).isEqualTo(200);
        assertThat(late.status()).isEqualTo(400);
        assertThat(json(late)).containsEntry("error", "invalid_grant");
    }

    @Test
    void a_made_up_code_is_invalid_grant() {
        Authorization real = as.authorize(client);
        Authorization forged = new Authorization(client, "not-a-code-this-server-issued", real.verifier(), real.redirectUri(),
                Map.of(), real.session());

        assertThat(json(as.exchange(forged))).containsEntry("error", "invalid_grant");
    }
}
