package io.gatehouse.as;

import static io.gatehouse.as.OAuthDriver.accessToken;
import static io.gatehouse.as.OAuthDriver.body;
import static io.gatehouse.as.OAuthDriver.json;
import static io.gatehouse.as.OAuthDriver.jwtClaims;
import static io.gatehouse.as.OAuthDriver.params;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.as.OAuthDriver.Client;
import io.gatehouse.as.web.AsResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the token, introspection and revocation endpoints do with odd input: resources in another spelling, two
 * client authentication methods at once, repeated parameters and values the OAuth parser cannot echo. Always a
 * clear 4xx whose description repeats nothing that was sent.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("hardening")
class TokenEndpointInputTest {

    final OAuthDriver as = new OAuthDriver();
    final Client client = as.registerPublic();

    @ParameterizedTest
    @Tag("SEC10-13")
    @ValueSource(strings = {"HTTP://LOCALHOST:9000/mcp", "http://LocalHost:9000/mcp", "Http://localhost:9000/mcp"})
    void a_resource_in_another_spelling_gets_the_canonical_allow_listed_uri_as_audience(String resource) {
        Map<String, Object> tokens = json(as.exchange(as.authorize(client, "resource", resource), "resource", resource));
        Map<String, Object> machine = json(as.postForm(AuthorizationServer.TOKEN, params("grant_type", "client_credentials",
                "resource", resource), Map.of("Authorization", OAuthDriver.MACHINE.basic()), Optional.empty()));

        assertThat(jwtClaims(accessToken(tokens)).get("aud")).isIn(OAuthDriver.RESOURCE, List.of(OAuthDriver.RESOURCE));
        assertThat(jwtClaims(accessToken(machine)).get("aud")).isIn(OAuthDriver.RESOURCE, List.of(OAuthDriver.RESOURCE));
    }

    @ParameterizedTest
    @Tag("SEC10-13")
    @ValueSource(strings = {"http://user@localhost:9000/mcp", "http://localhost:9001/mcp", "http://localhost:9000/MCP"})
    void a_resource_that_differs_in_more_than_spelling_is_invalid_target(String resource) {
        AsResponse response = as.postForm(AuthorizationServer.TOKEN, params("grant_type", "client_credentials", "resource", resource),
                Map.of("Authorization", OAuthDriver.MACHINE.basic()), Optional.empty());

        assertThat(json(response)).containsEntry("error", "invalid_target").doesNotContainKey("access_token");
    }

    @Test
    @Tag("SEC10-13")
    void basic_and_a_secret_in_the_body_at_once_are_invalid_request() {
        Client machine = OAuthDriver.MACHINE;

        AsResponse response = as.postForm(AuthorizationServer.TOKEN, params("grant_type", "client_credentials",
                "client_id", machine.id(), "client_secret", "anything"), Map.of("Authorization", machine.basic()), Optional.empty());

        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response)).containsEntry("error", "invalid_request").doesNotContainKey("access_token");
    }

    @Test
    @Tag("SEC10-13")
    void a_secret_and_a_client_assertion_at_once_are_invalid_request_at_every_endpoint() {
        Client machine = OAuthDriver.MACHINE_POST;
        Map<String, String> both = params("client_id", machine.id(), "client_secret", machine.secret().orElseThrow(),
                "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", "client_assertion", "a.b.c",
                "grant_type", "client_credentials", "token", "some-token");

        for (String endpoint : List.of(AuthorizationServer.TOKEN, AuthorizationServer.INTROSPECT, AuthorizationServer.REVOKE)) {
            AsResponse response = as.postForm(endpoint, both, Map.of(), Optional.empty());

            assertThat(response.status()).as(endpoint).isEqualTo(400);
            assertThat(json(response)).as(endpoint).containsEntry("error", "invalid_request").doesNotContainKeys("access_token", "active");
        }
    }

    @ParameterizedTest
    @Tag("SEC10-8")
    @ValueSource(strings = {"resource=http%3A%2F%2Flocalhost%3A9000%2Fmcp%22%0A%C3%A9", "resource=%5C%5Cevil",
        "%22evil%C3%A9%0A%22=1&%22evil%C3%A9%0A%22=2", "client_id=a&client_id=b", "grant_type=urn%3Aevil%0D%0Ainjected%22",
        "resource=http%3A%2F%2Flocalhost%3A9000%2Fmcp%23secret-fragment"})
    void malformed_token_requests_are_a_4xx_that_echoes_nothing(String extra) {
        String form = "grant_type=client_credentials&" + extra;
        if (extra.startsWith("grant_type=")) {
            form = extra;
        }
        AsResponse response = as.postFormValues(AuthorizationServer.TOKEN, decode(form),
                Map.of("Authorization", OAuthDriver.MACHINE.basic()));

        assertThat(response.status()).as(body(response)).isBetween(400, 401);
        assertThat(body(response)).doesNotContain("evil", "secret-fragment", "injected", "\u00e9");
        assertThat(json(response)).doesNotContainKey("access_token");
    }

    @Test
    @Tag("SEC10-8")
    void introspection_and_revocation_without_a_token_are_400_not_500() {
        for (String endpoint : List.of(AuthorizationServer.INTROSPECT, AuthorizationServer.REVOKE)) {
            AsResponse response = as.postForm(endpoint, params("client_id", client.id()),
                    Map.of("Authorization", OAuthDriver.RESOURCE_SERVER.basic()), Optional.empty());

            assertThat(response.status()).as(endpoint + ": " + body(response)).isEqualTo(400);
            assertThat(json(response)).containsEntry("error", "invalid_request");
        }
    }

    /** The form as the transport hands it over: decoded names with all their values. */
    private static Map<String, List<String>> decode(String form) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        for (String pair : form.split("&")) {
            String[] kv = pair.split("=", 2);
            out.computeIfAbsent(java.net.URLDecoder.decode(kv[0], StandardCharsets.UTF_8), k -> new java.util.ArrayList<>())
                    .add(kv.length > 1 ? java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return out;
    }
}
