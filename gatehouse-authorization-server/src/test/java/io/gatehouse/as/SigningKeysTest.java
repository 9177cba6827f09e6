package io.gatehouse.as;

import static io.gatehouse.as.OAuthDriver.accessToken;
import static io.gatehouse.as.OAuthDriver.json;
import static io.gatehouse.as.OAuthDriver.jwtHeader;
import static org.assertj.core.api.Assertions.assertThat;

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

/** The JWKS publishes public keys only, and a key rotation does not break tokens already issued. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("AS-02")
@Tag("hardening")
class SigningKeysTest {

    final OAuthDriver as = new OAuthDriver();

    @Test
    void the_jwks_publishes_only_public_keys() {
        AsResponse response = as.get(AuthorizationServer.JWKS, Map.of(), Optional.empty());

        assertThat(response.status()).isEqualTo(200);
        List<Map<String, Object>> keys = keys(response);
        assertThat(keys).isNotEmpty();
        for (Map<String, Object> key : keys) {
            assertThat(key).containsKeys("kty", "kid", "n", "e").doesNotContainKeys("d", "p", "q", "dp", "dq", "qi");
        }
    }

    @Test
    void after_a_rotation_the_old_key_stays_published_and_its_tokens_stay_active() {
        Client client = as.registerPublic();
        Client introspector = OAuthDriver.RESOURCE_SERVER;
        String before = accessToken(as.tokens(client));
        String oldKid = (String) jwtHeader(before).get("kid");

        as.server.rotateKeys();
        String after = accessToken(as.tokens(client));

        String newKid = (String) jwtHeader(after).get("kid");
        assertThat(newKid).isNotEqualTo(oldKid);
        assertThat(kids()).contains(oldKid, newKid);
        assertThat(json(as.introspect(introspector, before)).get("active")).isEqualTo(true);
        assertThat(json(as.introspect(introspector, after)).get("active")).isEqualTo(true);
    }

    @Test
    void a_rotated_out_key_leaves_the_jwks_once_its_tokens_have_expired() {
        String oldKid = kids().get(0);

        as.server.rotateKeys();
        as.clock.advance(Duration.ofMinutes(16));

        assertThat(kids()).hasSize(1).doesNotContain(oldKid);
    }

    private List<String> kids() {
        return keys(as.get(AuthorizationServer.JWKS, Map.of(), Optional.empty())).stream().map(k -> (String) k.get("kid")).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> keys(AsResponse jwks) {
        return (List<Map<String, Object>>) json(jwks).get("keys");
    }
}
