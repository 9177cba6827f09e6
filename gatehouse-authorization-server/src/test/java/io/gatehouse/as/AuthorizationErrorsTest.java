package io.gatehouse.as;

import static io.gatehouse.as.OAuthDriver.ALICE_PASSWORD;
import static io.gatehouse.as.OAuthDriver.body;
import static io.gatehouse.as.OAuthDriver.callback;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.as.OAuthDriver.Authorization;
import io.gatehouse.as.OAuthDriver.Client;
import io.gatehouse.as.OAuthDriver.Start;
import io.gatehouse.as.web.AsResponse;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * AS-13: once the client and redirect URI are validated, errors go back to the client with {@code error},
 * {@code state} and {@code iss} (RFC 9207), and no code; but only to a redirect URI the server trusts (RFC 9700
 * section 4.11.2): an operator-configured client's, or a self-registered client's the signed-in user approved.
 * Anyone else's errors are shown on a page.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("AS-13")
class AuthorizationErrorsTest {

    final OAuthDriver as = new OAuthDriver();
    final Client operator = OAuthDriver.OPERATOR_CLIENT;
    final Client selfRegistered = as.registerPublic();

    @Test
    @Tag("AS-04")
    void a_request_without_code_challenge_is_invalid_request() {
        assertRedirectsWithError(as.start(operator, "code_challenge", null), "invalid_request");
    }

    @Test
    @Tag("AS-05")
    void the_plain_challenge_method_is_invalid_request() {
        assertRedirectsWithError(as.start(operator, "code_challenge_method", "plain"), "invalid_request");
    }

    @Test
    @Tag("AS-05")
    void a_request_without_challenge_method_is_invalid_request() {
        assertRedirectsWithError(as.start(operator, "code_challenge_method", null), "invalid_request");
    }

    @Test
    void the_implicit_response_type_is_unsupported_response_type() {
        assertRedirectsWithError(as.start(operator, "response_type", "token"), "unsupported_response_type");
    }

    @Test
    @Tag("AS-09")
    void a_resource_this_server_does_not_serve_is_invalid_target() {
        assertRedirectsWithError(as.start(operator, "resource", "http://evil.example/mcp"), "invalid_target");
    }

    @Test
    void only_unsupported_scopes_are_invalid_scope() {
        assertRedirectsWithError(as.start(operator, "scope", "admin:everything"), "invalid_scope");
    }

    @Test
    void an_error_without_state_still_carries_iss() {
        Map<String, String> callback = callback(as.start(operator, "state", null, "response_type", "token").response());

        assertThat(callback).containsEntry("error", "unsupported_response_type")
                .containsEntry("iss", "http://localhost:9000")
                .doesNotContainKeys("state", "code");
    }

    @Test
    @Tag("SEC10-13")
    void an_error_for_a_self_registered_client_is_shown_on_a_page_not_redirected() {
        AsResponse response = as.start(selfRegistered, "response_type", "token").response();

        assertShownOnAPage(response, "unsupported_response_type");
    }

    @Test
    @Tag("SEC10-13")
    void a_signed_in_user_who_never_approved_the_self_registered_client_gets_the_page_too() {
        Authorization other = as.authorize(as.registerPublic("Other App", OAuthDriver.LOOPBACK_REDIRECT));

        AsResponse response = as.start(selfRegistered, other.session(), "code_challenge", null).response();

        assertShownOnAPage(response, "invalid_request");
    }

    @Test
    @Tag("SEC10-13")
    void once_the_signed_in_user_approved_the_self_registered_client_its_errors_are_redirected() {
        Authorization approved = as.authorize(selfRegistered);

        Start start = as.start(selfRegistered, approved.session(), "response_type", "token");

        assertRedirectsWithError(start, "unsupported_response_type");
    }

    @Test
    @Tag("SEC10-3")
    void after_sign_in_nothing_grantable_for_a_never_approved_self_registered_client_is_a_page_without_code() {
        AsResponse afterLogin = as.login(as.start(selfRegistered, "scope", "mcp:read").response(), "guest", ALICE_PASSWORD);

        assertShownOnAPage(afterLogin, "invalid_scope");
    }

    @Test
    @Tag("SEC10-8")
    void an_undecodable_request_is_an_error_page_on_the_browser_pages_and_invalid_request_elsewhere() {
        for (String page : new String[] {AuthorizationServer.AUTHORIZE, AuthorizationServer.LOGIN, AuthorizationServer.CONSENT}) {
            AsResponse response = as.server.malformedRequest(page);
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.headers()).containsEntry("X-Frame-Options", "DENY").doesNotContainKey("Location");
            assertThat(response.headers().get("Content-Type")).startsWith("text/html");
            assertThat(body(response)).contains("Invalid request", "not correctly encoded");
        }
        for (String endpoint : new String[] {AuthorizationServer.TOKEN, AuthorizationServer.REGISTER, "/.well-known/oauth-authorization-server"}) {
            AsResponse response = as.server.malformedRequest(endpoint);
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.headers().get("Content-Type")).isEqualTo("application/json");
            assertThat(body(response)).contains("\"error\":\"invalid_request\"",
                    "\"error_description\":\"The request is not correctly percent-encoded UTF-8\"");
        }
    }

    private static void assertRedirectsWithError(Start start, String error) {
        assertThat(start.response().headers().get("Location")).startsWith(OAuthDriver.LOOPBACK_REDIRECT + "?");
        Map<String, String> callback = callback(start.response());
        assertThat(callback).containsEntry("error", error)
                .containsEntry("state", start.params().get("state"))
                .containsEntry("iss", "http://localhost:9000")
                .doesNotContainKey("code");
    }

    private static void assertShownOnAPage(AsResponse response, String error) {
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.headers()).doesNotContainKey("Location");
        assertThat(body(response)).contains("Request refused", error).doesNotContain("code=");
    }
}
