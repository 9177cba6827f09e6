package io.gatehouse.as;

import static io.gatehouse.as.OAuthDriver.body;
import static io.gatehouse.as.OAuthDriver.callback;
import static io.gatehouse.as.OAuthDriver.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.as.OAuthDriver.Authorization;
import io.gatehouse.as.OAuthDriver.Client;
import io.gatehouse.as.web.AsResponse;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * AS-10: redirect URIs match exactly, and until the client and redirect URI are validated the server shows an
 * error page instead of redirecting (no open redirect). AS-11: loopback redirects may use any port (RFC 8252).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("AS-10")
@Tag("hardening")
class RedirectUriTest {

    static final String REGISTERED = "https://app.example.com/callback";

    final OAuthDriver as = new OAuthDriver();
    final Client web = as.registerPublic("Web App", REGISTERED);

    @Test
    void an_unknown_client_gets_an_error_page_and_no_redirect() {
        Client unknown = new Client("no-such-client", java.util.Optional.empty(), "https://evil.example.com/steal");

        AsResponse response = as.start(unknown).response();

        assertErrorPage(response);
        assertThat(body(response)).contains("Unknown application");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://evil.example.com/callback",
        "https://app.example.com.evil.com/callback",
        "https://app.example.com/other",
        "https://app.example.com/callback/",
        "https://app.example.com/callback?next=https://evil.example.com",
        "http://app.example.com/callback",
        "https://app.example.com:8443/callback",
        "javascript:alert(1)"
    })
    void a_redirect_uri_that_is_not_exactly_the_registered_one_gets_an_error_page(String redirect) {
        AsResponse response = as.start(web, "redirect_uri", redirect).response();

        assertErrorPage(response);
        assertThat(body(response)).contains("Invalid redirect").doesNotContain("evil.example.com");
    }

    @Test
    void an_invalid_request_with_a_wrong_redirect_uri_is_not_redirected_either() {
        AsResponse response = as.start(web, "redirect_uri", "https://evil.example.com/callback", "code_challenge", null,
                "response_type", "token").response();

        assertErrorPage(response);
    }

    @Test
    void the_exact_registered_redirect_uri_is_accepted() {
        Authorization authorization = as.authorize(web);

        assertThat(as.responses.getLast().headers().get("Location")).startsWith(REGISTERED + "?code=");
        assertThat(json(as.exchange(authorization))).containsKey("access_token");
    }

    @Test
    @Tag("AS-11")
    void a_loopback_redirect_may_use_another_port() {
        Client nativeApp = as.registerPublic();

        Authorization authorization = as.authorize(nativeApp, "redirect_uri", "http://127.0.0.1:51234/callback");

        assertThat(as.responses.getLast().headers().get("Location")).startsWith("http://127.0.0.1:51234/callback?");
        assertThat(callback(as.responses.getLast())).containsKey("code");
        assertThat(json(as.exchange(authorization))).containsKey("access_token");
    }

    @ParameterizedTest
    @Tag("AS-11")
    @ValueSource(strings = {"http://127.0.0.1:51234/other", "https://127.0.0.1:7777/callback", "http://localhost:7777/callback",
        "http://127.0.0.1:7777/callback?x=1"})
    void a_loopback_redirect_must_match_in_everything_but_the_port(String redirect) {
        Client nativeApp = as.registerPublic();

        assertErrorPage(as.start(nativeApp, "redirect_uri", redirect).response());
    }

    @Test
    void a_client_with_several_redirect_uris_must_name_one() {
        Client several = as.registerPublic("Several", REGISTERED, "https://app.example.com/second");

        assertErrorPage(as.start(several, "redirect_uri", null).response());
    }

    private static void assertErrorPage(AsResponse response) {
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.headers()).doesNotContainKey("Location").containsEntry("Content-Type", "text/html; charset=utf-8");
        assertThat(body(response)).doesNotContain("code=");
    }
}
