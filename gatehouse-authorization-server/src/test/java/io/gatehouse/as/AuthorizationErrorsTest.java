package io.gatehouse.as;

import static io.gatehouse.as.OAuthDriver.callback;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.as.OAuthDriver.Client;
import io.gatehouse.as.OAuthDriver.Start;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * AS-13: once the client and redirect URI are validated, errors go back to the client with {@code error},
 * {@code state} and {@code iss} (RFC 9207), and no code.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("AS-13")
class AuthorizationErrorsTest {

    final OAuthDriver as = new OAuthDriver();
    final Client client = as.registerPublic();

    @Test
    @Tag("AS-04")
    void a_request_without_code_challenge_is_invalid_request() {
        assertRedirectsWithError(as.start(client, "code_challenge", null), "invalid_request");
    }

    @Test
    @Tag("AS-05")
    void the_plain_challenge_method_is_invalid_request() {
        assertRedirectsWithError(as.start(client, "code_challenge_method", "plain"), "invalid_request");
    }

    @Test
    @Tag("AS-05")
    void a_request_without_challenge_method_is_invalid_request() {
        assertRedirectsWithError(as.start(client, "code_challenge_method", null), "invalid_request");
    }

    @Test
    void the_implicit_response_type_is_unsupported_response_type() {
        assertRedirectsWithError(as.start(client, "response_type", "token"), "unsupported_response_type");
    }

    @Test
    @Tag("AS-09")
    void a_resource_this_server_does_not_serve_is_invalid_target() {
        assertRedirectsWithError(as.start(client, "resource", "http://evil.example/mcp"), "invalid_target");
    }

    @Test
    void an_error_without_state_still_carries_iss() {
        Map<String, String> callback = callback(as.start(client, "state", null, "response_type", "token").response());

        assertThat(callback).containsEntry("error", "unsupported_response_type")
                .containsEntry("iss", "http://localhost:9000")
                .doesNotContainKeys("state", "code");
    }

    private static void assertRedirectsWithError(Start start, String error) {
        assertThat(start.response().headers().get("Location")).startsWith(OAuthDriver.LOOPBACK_REDIRECT + "?");
        Map<String, String> callback = callback(start.response());
        assertThat(callback).containsEntry("error", error)
                .containsEntry("state", start.params().get("state"))
                .containsEntry("iss", "http://localhost:9000")
                .doesNotContainKey("code");
    }
}
