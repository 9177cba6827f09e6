package io.gatehouse.as;

import static io.gatehouse.as.OAuthDriver.body;
import static io.gatehouse.as.OAuthDriver.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.as.web.AsResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** AS-07: RFC 7591 dynamic client registration, with AS-11 redirect URI rules, a rate limit and optional closing. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("AS-07")
class DynamicRegistrationTest {

    final OAuthDriver as = new OAuthDriver();

    @Test
    void a_public_client_gets_no_secret() {
        AsResponse response = as.register("{\"client_name\":\"CLI\",\"redirect_uris\":[\"http://127.0.0.1:7777/callback\"],"
                + "\"token_endpoint_auth_method\":\"none\"}");

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.headers()).containsEntry("Cache-Control", "no-store");
        Map<String, Object> client = json(response);
        assertThat(client).containsKey("client_id").doesNotContainKey("client_secret")
                .containsEntry("token_endpoint_auth_method", "none")
                .containsEntry("client_name", "CLI")
                .containsEntry("redirect_uris", List.of("http://127.0.0.1:7777/callback"));
    }

    @Test
    void a_client_secret_basic_client_gets_a_secret() {
        AsResponse response = as.register("{\"client_name\":\"Web\",\"redirect_uris\":[\"https://app.example.com/cb\"],"
                + "\"token_endpoint_auth_method\":\"client_secret_basic\"}");

        Map<String, Object> client = json(response);
        assertThat(response.status()).isEqualTo(201);
        assertThat((String) client.get("client_secret")).hasSizeGreaterThanOrEqualTo(32);
        assertThat(client).containsEntry("token_endpoint_auth_method", "client_secret_basic");
        assertThat(((Number) client.get("client_secret_expires_at")).longValue()).isZero();
    }

    @Test
    void two_registrations_get_different_ids() {
        String request = "{\"redirect_uris\":[\"http://127.0.0.1:7777/callback\"],\"token_endpoint_auth_method\":\"none\"}";

        assertThat(json(as.register(request)).get("client_id")).isNotEqualTo(json(as.register(request)).get("client_id"));
    }

    @ParameterizedTest
    @Tag("AS-11")
    @Tag("hardening")
    @ValueSource(strings = {
        "javascript:alert(1)",
        "https://app.example.com/cb#fragment",
        "http://app.example.com/cb",
        "http://localhost.evil.com/cb",
        "data:text/html,hello",
        "https://user:pass@app.example.com/cb",
        "/relative/callback",
        "app.example.com/cb"
    })
    void a_redirect_uri_that_is_not_https_or_loopback_http_is_invalid_redirect_uri(String redirect) {
        AsResponse response = as.register("{\"redirect_uris\":[\"" + redirect + "\"],\"token_endpoint_auth_method\":\"none\"}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response)).containsEntry("error", "invalid_redirect_uri").doesNotContainKey("client_id");
    }

    @ParameterizedTest
    @Tag("AS-11")
    @ValueSource(strings = {"http://localhost/cb", "http://127.0.0.1:8080/cb", "http://[::1]:8080/cb", "https://app.example.com/cb"})
    void https_and_loopback_http_redirect_uris_are_accepted(String redirect) {
        AsResponse response = as.register("{\"redirect_uris\":[\"" + redirect + "\"],\"token_endpoint_auth_method\":\"none\"}");

        assertThat(response.status()).as(body(response)).isEqualTo(201);
    }

    @Test
    void missing_redirect_uris_are_invalid_redirect_uri() {
        assertThat(json(as.register("{\"client_name\":\"x\"}"))).containsEntry("error", "invalid_redirect_uri");
    }

    @ParameterizedTest
    @ValueSource(strings = {"this is not json", "[\"an\",\"array\"]", "{\"redirect_uris\":[\"https://a.example/cb\"],"})
    void a_body_that_is_not_a_json_object_is_invalid_client_metadata(String body) {
        AsResponse response = as.register(body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response)).containsEntry("error", "invalid_client_metadata");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\"token_endpoint_auth_method\":\"private_key_jwt\"",
        "\"grant_types\":[\"implicit\"]",
        "\"grant_types\":[\"client_credentials\"],\"token_endpoint_auth_method\":\"none\"",
        "\"response_types\":[\"token\"]"
    })
    void unsupported_metadata_is_invalid_client_metadata(String member) {
        AsResponse response = as.register("{\"redirect_uris\":[\"https://app.example.com/cb\"]," + member + "}");

        assertThat(json(response)).containsEntry("error", "invalid_client_metadata").doesNotContainKey("client_id");
    }

    @Test
    @Tag("hardening")
    void the_31st_registration_within_a_minute_is_429() {
        String request = "{\"redirect_uris\":[\"http://127.0.0.1:7777/callback\"],\"token_endpoint_auth_method\":\"none\"}";
        for (int i = 0; i < 30; i++) {
            assertThat(as.register(request).status()).isEqualTo(201);
        }

        AsResponse limited = as.register(request);
        as.clock.advance(Duration.ofSeconds(61));
        AsResponse later = as.register(request);

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.headers()).containsEntry("Retry-After", "60");
        assertThat(json(limited)).doesNotContainKey("client_id");
        assertThat(later.status()).isEqualTo(201);
    }

    @Test
    @Tag("hardening")
    @Tag("SEC10-5")
    void one_caller_at_its_limit_does_not_close_registration_for_another() {
        String request = "{\"redirect_uris\":[\"http://127.0.0.1:7777/callback\"],\"token_endpoint_auth_method\":\"none\"}";
        for (int i = 0; i < 30; i++) {
            as.register(request);
        }
        assertThat(as.register(request).status()).isEqualTo(429);

        AsResponse fromElsewhere = as.server.handle(new io.gatehouse.as.web.AsRequest("POST", AuthorizationServer.REGISTER, Map.of(),
                Map.of(), Map.of("content-type", List.of("application/json")), Map.of(),
                request.getBytes(java.nio.charset.StandardCharsets.UTF_8), "192.0.2.44")).orElseThrow();

        assertThat(fromElsewhere.status()).isEqualTo(201);
    }

    @Test
    @Tag("hardening")
    void with_an_initial_access_token_registration_needs_it() {
        OAuthDriver closed = new OAuthDriver(OAuthDriver.settings(true, Optional.of("initial-access-token-123")));
        String request = "{\"redirect_uris\":[\"https://app.example.com/cb\"]}";

        AsResponse without = closed.register(request);
        AsResponse wrong = closed.postJson(AuthorizationServer.REGISTER, request, Map.of("Authorization", "Bearer guessed"));
        AsResponse with = closed.postJson(AuthorizationServer.REGISTER, request, Map.of("Authorization", "Bearer initial-access-token-123"));

        assertThat(without.status()).isEqualTo(401);
        assertThat(json(without)).doesNotContainKey("client_id");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(with.status()).isEqualTo(201);
    }

    @ParameterizedTest
    @Tag("SEC10-8")
    @ValueSource(strings = {
        "https://app.example.com/cb/\u00e9",
        "https://app.example.com/cb\u0000",
        "https://app.example.com/c\u0085b",
        "https://app.example.com/cb\u2028"
    })
    void a_redirect_uri_with_control_or_non_ascii_characters_is_invalid_redirect_uri_and_not_echoed(String redirect) {
        AsResponse response = as.register("{\"redirect_uris\":[" + jsonString(redirect) + "],\"token_endpoint_auth_method\":\"none\"}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response)).containsEntry("error", "invalid_redirect_uri").doesNotContainKey("client_id");
        assertThat((String) json(response).get("error_description")).doesNotContain("app.example.com");
    }

    @Test
    @Tag("SEC10-8")
    void a_redirect_uri_longer_than_the_database_keeps_is_invalid_redirect_uri() {
        String longest = "https://app.example.com/" + "a".repeat(2000 - 24);
        String tooLong = longest + "a";

        assertThat(as.register("{\"redirect_uris\":[\"" + longest + "\"],\"token_endpoint_auth_method\":\"none\"}").status()).isEqualTo(201);
        AsResponse response = as.register("{\"redirect_uris\":[\"" + tooLong + "\"],\"token_endpoint_auth_method\":\"none\"}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response)).containsEntry("error", "invalid_redirect_uri");
        assertThat(body(response)).doesNotContain("aaaaaaaaaa");
    }

    @Test
    @Tag("SEC10-8")
    void more_redirect_uris_than_the_database_keeps_are_invalid_redirect_uri() {
        String many = java.util.stream.IntStream.range(0, 11).mapToObj(i -> "\"https://app.example.com/cb" + i + "\"")
                .collect(java.util.stream.Collectors.joining(","));
        String long5 = java.util.stream.IntStream.range(0, 5).mapToObj(i -> "\"https://app.example.com/" + i + "a".repeat(1900) + "\"")
                .collect(java.util.stream.Collectors.joining(","));

        for (String uris : List.of(many, long5)) {
            AsResponse response = as.register("{\"redirect_uris\":[" + uris + "],\"token_endpoint_auth_method\":\"none\"}");
            assertThat(response.status()).isEqualTo(400);
            assertThat(json(response)).containsEntry("error", "invalid_redirect_uri");
        }
    }

    @ParameterizedTest
    @Tag("SEC10-8")
    @ValueSource(strings = {"Evil\nINFO forged log line", "Name \u202egnp.exe", "Bell\u0007", "Broken \ud800 half"})
    void a_client_name_with_control_or_formatting_characters_is_invalid_client_metadata(String name) {
        AsResponse response = as.register("{\"client_name\":" + jsonString(name) + ",\"redirect_uris\":[\"https://app.example.com/cb\"]}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response)).containsEntry("error", "invalid_client_metadata").doesNotContainKey("client_id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"grant_types\":\"authorization_code\"", "\"grant_types\":[1]", "\"scope\":[\"mcp:read\"]",
        "\"client_name\":42", "\"redirect_uris\":[\"https://app.example.com/cb\",7]"})
    void metadata_of_the_wrong_type_is_refused(String member) {
        String json = member.startsWith("\"redirect_uris\"") ? "{" + member + "}" : "{\"redirect_uris\":[\"https://app.example.com/cb\"]," + member + "}";

        AsResponse response = as.register(json);

        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response).get("error")).isIn("invalid_client_metadata", "invalid_redirect_uri");
    }

    @Test
    void a_client_that_names_no_scope_may_be_granted_any_supported_scope_and_one_that_names_some_only_those() {
        Map<String, Object> any = json(as.register("{\"redirect_uris\":[\"https://app.example.com/cb\"]}"));
        Map<String, Object> some = json(as.register("{\"redirect_uris\":[\"https://app.example.com/cb\"],\"scope\":\"mcp:read openid\"}"));
        Map<String, Object> none = json(as.register("{\"redirect_uris\":[\"https://app.example.com/cb\"],\"scope\":\"openid\"}"));

        assertThat(any).containsEntry("scope", "mcp:read mcp:tools mcp:prompts");
        assertThat(some).containsEntry("scope", "mcp:read");
        assertThat(none).doesNotContainKey("scope");
    }

    @Test
    void a_long_client_name_is_cut_to_100_characters() {
        AsResponse response = as.register("{\"client_name\":\"" + "x".repeat(500) + "\",\"redirect_uris\":[\"https://app.example.com/cb\"]}");

        assertThat((String) json(response).get("client_name")).hasSize(100);
    }

    /** A JSON string literal with everything outside printable ASCII escaped, so the JSON itself stays valid. */
    private static String jsonString(String text) {
        return text.chars().mapToObj(c -> c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c))
                .collect(java.util.stream.Collectors.joining("", "\"", "\""));
    }
}
