package io.gatehouse.as;

import static io.gatehouse.as.OAuthDriver.ALICE_PASSWORD;
import static io.gatehouse.as.OAuthDriver.body;
import static io.gatehouse.as.OAuthDriver.sessionCookie;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.as.OAuthDriver.Client;
import io.gatehouse.as.web.AsResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The login page reveals nothing about which users exist, slows guessing, and never echoes a password. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("hardening")
class LoginTest {

    static final String WRONG_PASSWORD = "Wr0ng-Guess-7f3a9c";

    final OAuthDriver as = new OAuthDriver();
    final Client client = as.registerPublic();

    @Test
    void a_wrong_password_and_an_unknown_user_get_the_same_401_page() {
        AsResponse loginPage = as.start(client).response();

        AsResponse wrongPassword = as.login(loginPage, "alice", WRONG_PASSWORD);
        AsResponse unknownUser = as.login(loginPage, "mallory", WRONG_PASSWORD);

        assertThat(wrongPassword.status()).isEqualTo(401);
        assertThat(unknownUser.status()).isEqualTo(401);
        assertThat(body(wrongPassword)).contains("Wrong username or password");
        assertThat(body(wrongPassword).replace("alice", "USER")).isEqualTo(body(unknownUser).replace("mallory", "USER"));
        assertThat(wrongPassword.headers()).isEqualTo(unknownUser.headers());
        assertThat(wrongPassword.setCookies()).isEmpty();
        assertThat(unknownUser.setCookies()).isEmpty();
    }

    @Test
    void after_five_failures_for_a_user_even_the_right_password_is_refused_with_429() {
        AsResponse loginPage = as.start(client).response();
        for (int i = 0; i < 5; i++) {
            assertThat(as.login(loginPage, "alice", WRONG_PASSWORD).status()).isEqualTo(401);
        }

        AsResponse sixth = as.login(loginPage, "alice", ALICE_PASSWORD);

        assertThat(sixth.status()).isEqualTo(429);
        assertThat(body(sixth)).contains("Too many failed attempts");
        assertThat(sixth.setCookies()).isEmpty();
        assertThat(body(sixth)).doesNotContain("name=\"csrf\"");
    }

    @Test
    void the_throttle_lifts_after_its_window() {
        AsResponse loginPage = as.start(client).response();
        for (int i = 0; i < 5; i++) {
            as.login(loginPage, "alice", WRONG_PASSWORD);
        }

        as.clock.advance(Duration.ofMinutes(6));
        AsResponse later = as.login(as.start(client).response(), "alice", ALICE_PASSWORD);

        assertThat(later.status()).isEqualTo(200);
        assertThat(sessionCookie(later)).isPresent();
    }

    @Test
    void the_throttle_of_one_user_does_not_lock_out_another() {
        AsResponse loginPage = as.start(client).response();
        for (int i = 0; i < 5; i++) {
            as.login(loginPage, "mallory", WRONG_PASSWORD);
        }

        AsResponse alice = as.login(loginPage, "alice", ALICE_PASSWORD);

        assertThat(alice.status()).isEqualTo(200);
    }

    @Test
    void the_password_never_appears_in_any_response() {
        AsResponse loginPage = as.start(client).response();
        as.login(loginPage, "alice", WRONG_PASSWORD);
        as.authorize(client);
        as.login(as.start(client).response(), "mallory", ALICE_PASSWORD);

        assertThat(as.responses).hasSizeGreaterThanOrEqualTo(6);
        for (AsResponse response : as.responses) {
            assertThat(body(response)).doesNotContain(ALICE_PASSWORD).doesNotContain(WRONG_PASSWORD);
            assertThat(String.join("\n", response.headers().values())).doesNotContain(ALICE_PASSWORD).doesNotContain(WRONG_PASSWORD);
            assertThat(String.join("\n", response.setCookies())).doesNotContain(ALICE_PASSWORD).doesNotContain(WRONG_PASSWORD);
        }
    }

    @Test
    void the_session_cookie_is_http_only_and_same_site() {
        AsResponse consentPage = as.login(as.start(client).response(), "alice", ALICE_PASSWORD);

        assertThat(consentPage.setCookies()).singleElement().asString()
                .startsWith("gatehouse_session=").contains("HttpOnly", "SameSite=Lax", "Path=/").doesNotContain("Secure");
    }

    @Test
    void a_login_for_a_request_the_server_never_validated_is_refused() {
        AsResponse forged = as.postForm(AuthorizationServer.LOGIN,
                OAuthDriver.params("request", "made-up", "username", "alice", "password", ALICE_PASSWORD), Map.of(), Optional.empty());

        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.setCookies()).isEmpty();
        assertThat(forged.headers()).doesNotContainKey("Location");
    }
}
