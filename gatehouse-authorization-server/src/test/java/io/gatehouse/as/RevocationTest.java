package io.gatehouse.as;

import static io.gatehouse.as.OAuthDriver.accessToken;
import static io.gatehouse.as.OAuthDriver.json;
import static io.gatehouse.as.OAuthDriver.jti;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.as.OAuthDriver.Client;
import io.gatehouse.as.web.AsResponse;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** RFC 7009 token revocation. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("AS-12")
class RevocationTest {

    final OAuthDriver as = new OAuthDriver();
    final Client client = as.registerPublic();
    final Client introspector = OAuthDriver.RESOURCE_SERVER;
    final Map<String, Object> tokens = as.tokens(client);
    final String refreshToken = (String) tokens.get("refresh_token");

    @Test
    void revoking_a_refresh_token_revokes_its_family() {
        Map<String, Object> rotated = json(as.refresh(client, refreshToken));
        String current = (String) rotated.get("refresh_token");

        AsResponse response = as.revoke(client, current);

        assertThat(response.status()).isEqualTo(200);
        assertThat(json(as.refresh(client, current))).containsEntry("error", "invalid_grant");
        assertThat(as.server.isRevoked(jti(rotated))).isTrue();
        assertThat(as.server.isRevoked(jti(tokens))).isTrue();
        assertThat(json(as.introspect(introspector, accessToken(rotated)))).containsEntry("active", false);
    }

    @Test
    void revoking_an_unknown_token_is_200() {
        AsResponse response = as.revoke(client, "this-token-was-never-issued");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers()).containsEntry("Cache-Control", "no-store");
    }

    @Test
    void revoking_an_access_token_deactivates_it() {
        AsResponse response = as.revoke(client, accessToken(tokens));

        assertThat(response.status()).isEqualTo(200);
        assertThat(as.server.isRevoked(jti(tokens))).isTrue();
        assertThat(json(as.introspect(introspector, accessToken(tokens)))).containsEntry("active", false);
    }

    @Test
    @Tag("hardening")
    void another_client_cannot_revoke_a_token_it_was_not_issued() {
        Client other = as.registerPublic("Other App", OAuthDriver.LOOPBACK_REDIRECT);

        AsResponse response = as.revoke(other, refreshToken);

        assertThat(response.status()).isEqualTo(200);
        assertThat(as.server.isRevoked(jti(tokens))).isFalse();
        assertThat(as.refresh(client, refreshToken).status()).isEqualTo(200);
    }

    @Test
    @Tag("hardening")
    void revocation_needs_a_known_client() {
        AsResponse response = as.postForm(AuthorizationServer.REVOKE, OAuthDriver.params("token", refreshToken, "client_id", "nobody"),
                Map.of(), java.util.Optional.empty());

        assertThat(response.status()).isEqualTo(401);
        assertThat(json(response)).containsEntry("error", "invalid_client");
        assertThat(as.refresh(client, refreshToken).status()).isEqualTo(200);
    }
}
