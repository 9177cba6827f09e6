package io.gatehouse.as;

import static io.gatehouse.as.OAuthDriver.ADMIN_PASSWORD;
import static io.gatehouse.as.OAuthDriver.ALICE_PASSWORD;
import static io.gatehouse.as.OAuthDriver.body;
import static io.gatehouse.as.OAuthDriver.callback;
import static io.gatehouse.as.OAuthDriver.sessionCookie;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.as.OAuthDriver.Authorization;
import io.gatehouse.as.OAuthDriver.Client;
import io.gatehouse.as.OAuthDriver.Start;
import io.gatehouse.as.web.AsResponse;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The consent page: names who asks and where the browser goes, resists CSRF and framing, and is remembered. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("hardening")
class ConsentTest {

    final OAuthDriver as = new OAuthDriver();
    final Client client = as.registerPublic();

    @ParameterizedTest
    @ValueSource(strings = {"", "forged-csrf-token", "A"})
    void a_consent_without_the_sessions_csrf_token_issues_no_code(String csrf) {
        AsResponse consentPage = as.login(as.start(client).response(), "alice", ALICE_PASSWORD);
        Optional<String> session = sessionCookie(consentPage);

        AsResponse response = as.consent(consentPage, session, "approve", csrf);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.headers()).doesNotContainKey("Location");
        assertThat(body(response)).contains("Request refused").doesNotContain("code=");
    }

    @Test
    void a_consent_without_the_session_cookie_issues_no_code() {
        AsResponse consentPage = as.login(as.start(client).response(), "alice", ALICE_PASSWORD);

        AsResponse response = as.consent(consentPage, Optional.empty(), "approve");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.headers()).doesNotContainKey("Location");
    }

    @Test
    void the_csrf_token_of_another_session_is_refused() {
        AsResponse alicePage = as.login(as.start(client).response(), "alice", ALICE_PASSWORD);
        AsResponse adminPage = as.login(as.start(client).response(), "admin", ADMIN_PASSWORD);

        AsResponse response = as.consent(alicePage, sessionCookie(alicePage), "approve", OAuthDriver.hidden(adminPage, "csrf"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.headers()).doesNotContainKey("Location");
    }

    @Test
    @Tag("AS-13")
    void denying_redirects_with_access_denied_state_and_iss() {
        Start start = as.start(client);
        AsResponse consentPage = as.login(start.response(), "alice", ALICE_PASSWORD);

        AsResponse response = as.consent(consentPage, sessionCookie(consentPage), "deny");

        assertThat(callback(response)).containsEntry("error", "access_denied")
                .containsEntry("state", start.params().get("state"))
                .containsEntry("iss", "http://localhost:9000")
                .doesNotContainKey("code");
    }

    @Test
    void a_consent_form_can_be_submitted_only_once() {
        AsResponse consentPage = as.login(as.start(client).response(), "alice", ALICE_PASSWORD);
        Optional<String> session = sessionCookie(consentPage);
        assertThat(as.consent(consentPage, session, "approve").status()).isEqualTo(302);

        AsResponse again = as.consent(consentPage, session, "approve");

        assertThat(again.status()).isEqualTo(400);
        assertThat(again.headers()).doesNotContainKey("Location");
    }

    @Test
    void a_remembered_consent_skips_the_consent_page_for_the_same_scopes() {
        Authorization first = as.authorize(client);

        Start second = as.start(client, first.session());

        assertThat(second.response().status()).isEqualTo(302);
        assertThat(callback(second.response())).containsKey("code")
                .containsEntry("state", second.params().get("state"))
                .containsEntry("iss", "http://localhost:9000");
    }

    @Test
    @Tag("SEC10-3")
    void a_signed_in_user_is_never_sent_back_with_a_code_for_a_client_they_never_approved_asking_for_no_grantable_scope() {
        Authorization first = as.authorize(client);
        Client never = as.registerPublic("Never Approved", OAuthDriver.LOOPBACK_REDIRECT);

        for (String scope : new String[] {"admin:everything", "mcp:prompts", " "}) {
            AsResponse response = as.start(never, first.session(), "scope", scope).response();

            assertThat(response.headers().getOrDefault("Location", "")).as(scope).doesNotContain("code=");
            assertThat(body(response)).as(scope).doesNotContain("code=");
        }
    }

    @Test
    @Tag("SEC10-3")
    void a_user_who_may_hold_none_of_the_requested_scopes_gets_invalid_scope_from_an_operator_client_and_no_code() {
        Start start = as.start(OAuthDriver.OPERATOR_CLIENT, "scope", "mcp:read");

        AsResponse afterLogin = as.login(start.response(), "guest", ALICE_PASSWORD);

        assertThat(callback(afterLogin)).containsEntry("error", "invalid_scope")
                .containsEntry("state", start.params().get("state")).doesNotContainKey("code");
    }

    @Test
    @Tag("SEC10-3")
    void a_client_without_a_stored_consent_always_gets_the_consent_page_for_grantable_scopes() {
        Authorization first = as.authorize(client);
        Client never = as.registerPublic("Never Approved", OAuthDriver.LOOPBACK_REDIRECT);

        Start start = as.start(never, first.session(), "scope", "mcp:read admin:everything");

        assertThat(start.response().status()).isEqualTo(200);
        assertThat(body(start.response())).contains("Never Approved", "mcp:read", "name=\"csrf\"").doesNotContain("admin:everything");
    }

    @Test
    void asking_for_more_scopes_than_were_consented_shows_the_consent_page_again() {
        Authorization first = as.authorizeAs("admin", ADMIN_PASSWORD, client, "scope", "mcp:read");

        Start wider = as.start(client, first.session(), "scope", "mcp:read mcp:prompts");

        assertThat(wider.response().status()).isEqualTo(200);
        assertThat(body(wider.response())).contains("mcp:prompts").contains("name=\"csrf\"");
    }

    @Test
    void a_consent_is_remembered_per_client() {
        Authorization first = as.authorize(client);
        Client other = as.registerPublic("Other App", OAuthDriver.LOOPBACK_REDIRECT);

        Start start = as.start(other, first.session());

        assertThat(start.response().status()).isEqualTo(200);
        assertThat(body(start.response())).contains("Other App").contains("name=\"csrf\"");
    }

    @Test
    void the_consent_page_names_the_client_the_redirect_host_and_every_scope_and_cannot_be_framed() {
        Client named = as.registerPublic("Claude Desktop", "https://app.example.com/callback");

        AsResponse page = as.login(as.start(named, "scope", "mcp:read mcp:tools mcp:prompts").response(), "admin", ADMIN_PASSWORD);

        assertThat(page.status()).isEqualTo(200);
        assertThat(body(page)).contains("Claude Desktop", named.id(), "app.example.com", "mcp:read", "mcp:tools", "mcp:prompts", "admin");
        assertNotFramable(page);
    }

    @Test
    void the_login_and_error_pages_cannot_be_framed_either() {
        AsResponse login = as.start(client).response();
        AsResponse error = as.start(client, "client_id", "unknown").response();

        assertNotFramable(login);
        assertNotFramable(error);
    }

    @Test
    void a_malicious_client_name_is_escaped_on_the_login_and_consent_pages() {
        Client evil = as.registerPublic("<script>alert(1)</script>", OAuthDriver.LOOPBACK_REDIRECT);

        AsResponse login = as.start(evil).response();
        AsResponse consent = as.login(login, "alice", ALICE_PASSWORD);

        for (AsResponse page : new AsResponse[] {login, consent}) {
            assertThat(body(page)).doesNotContain("<script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        }
    }

    private static void assertNotFramable(AsResponse page) {
        Map<String, String> headers = page.headers();
        assertThat(headers).containsEntry("X-Frame-Options", "DENY").containsEntry("Cache-Control", "no-store");
        assertThat(headers.get("Content-Security-Policy")).contains("frame-ancestors 'none'").contains("default-src 'none'");
    }
}
