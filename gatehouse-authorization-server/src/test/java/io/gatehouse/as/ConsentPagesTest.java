package io.gatehouse.as;

import static io.gatehouse.as.OAuthDriver.ADMIN_PASSWORD;
import static io.gatehouse.as.OAuthDriver.ALICE_PASSWORD;
import static io.gatehouse.as.OAuthDriver.body;
import static io.gatehouse.as.OAuthDriver.hidden;
import static io.gatehouse.as.OAuthDriver.json;
import static io.gatehouse.as.OAuthDriver.params;
import static io.gatehouse.as.OAuthDriver.sessionCookie;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.as.OAuthDriver.Authorization;
import io.gatehouse.as.OAuthDriver.Client;
import io.gatehouse.as.web.AsResponse;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 point 5 at the HTTP level: the consent page names the MCP server and describes the scopes in the
 * operator's words, marks a name the client chose as unverified, escapes all of it; the account page lists what the
 * signed-in user allowed and revokes it (consent and token families) only for that user, with the CSRF token.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("issue-15")
class ConsentPagesTest {

    static final String SELF_CHOSEN = "the name was chosen by the application itself";
    static final String HOSTILE = "<img src=x onerror=alert(1)>\"'&";

    final OAuthDriver as = new OAuthDriver(settings("Files <b>& Co</b>", Map.of("mcp:tools", "Run tools " + HOSTILE,
            "mcp:read", "Read your files")));

    static AsSettings settings(String resourceName, Map<String, String> descriptions) {
        AsSettings base = OAuthDriver.settings(true, Optional.empty());
        return new AsSettings(base.issuer(), base.resources(), base.scopesSupported(), base.accessTokenTtl(), base.refreshTokenTtl(),
                base.codeTtl(), base.dynamicRegistration(), base.initialAccessToken(), base.secureCookies(),
                base.clientMetadataDocuments(), base.metadataDocumentsOnLoopback(), Duration.ofDays(30), Duration.ofDays(90),
                resourceName, ScopeDescriptions.of(descriptions));
    }

    AsResponse consentPage(Client client, String username, String password) {
        AsResponse page = as.login(as.start(client).response(), username, password);
        assertThat(page.status()).as(body(page)).isEqualTo(200);
        assertThat(body(page)).contains("id=\"consent-form\"");
        return page;
    }

    AsResponse account(Optional<String> session) {
        return as.get(AuthorizationServer.ACCOUNT, Map.of(), session);
    }

    AsResponse revoke(Optional<String> session, Map<String, String> form, Map<String, String> headers) {
        return as.postForm(AuthorizationServer.REVOKE_CONSENT, form, headers, session);
    }

    @Test
    void the_consent_page_names_the_resource_and_describes_each_scope_in_the_operators_words_escaped() {
        String page = body(consentPage(as.registerPublic("Test App", OAuthDriver.LOOPBACK_REDIRECT), "alice", ALICE_PASSWORD));

        assertThat(page).contains("<strong id=\"resource-name\">Files &lt;b&gt;&amp; Co&lt;/b&gt;</strong>")
                .contains("id=\"resource-url\">" + OAuthDriver.RESOURCE + "</span>")
                .contains("Read your files</span> <code class=\"scope\">mcp:read</code>")
                .contains("Run tools &lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;</span> <code class=\"scope\">mcp:tools</code>")
                .doesNotContain("<img", "<b>");
    }

    @Test
    @Tag("attack")
    void a_self_registered_clients_name_is_marked_unverified_and_escaped() {
        Client client = as.registerPublic(HOSTILE.replace("\"", "\\\""), OAuthDriver.LOOPBACK_REDIRECT);

        AsResponse login = as.start(client).response();
        String consent = body(as.login(login, "alice", ALICE_PASSWORD));

        String shown = "<strong class=\"client-name\">“&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;”</strong> <span class=\"unverified\">"
                + "(unverified — the name was chosen by the application itself)</span>";
        assertThat(body(login)).contains(shown).doesNotContain("<img");
        assertThat(consent).contains(shown).contains("id=\"redirect-host\">127.0.0.1</span>").doesNotContain("<img");
    }

    @Test
    void an_operator_configured_clients_name_is_not_marked() {
        String consent = body(consentPage(OAuthDriver.OPERATOR_CLIENT, "alice", ALICE_PASSWORD));

        assertThat(consent).contains("<strong class=\"client-name\">Operator App</strong>")
                .doesNotContain("class=\"unverified\"", SELF_CHOSEN);
    }

    @Test
    @Tag("attack")
    void a_browser_that_is_not_signed_in_sees_no_consents() {
        as.authorize(as.registerPublic("Secret Project Tool", OAuthDriver.LOOPBACK_REDIRECT));

        for (Optional<String> session : List.of(Optional.<String>empty(), Optional.of("forged-session-cookie"))) {
            AsResponse page = account(session);
            assertThat(page.status()).isEqualTo(401);
            assertThat(body(page)).contains("Sign in first").doesNotContain("Secret Project Tool", "client-id", "csrf");
            assertThat(page.headers()).containsEntry("X-Frame-Options", "DENY");
        }
    }

    @Test
    void the_account_page_lists_the_approved_clients_with_descriptions_and_the_marker() {
        Client client = as.registerPublic("Test App", OAuthDriver.LOOPBACK_REDIRECT);
        Authorization done = as.authorize(client);

        AsResponse page = account(done.session());

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.headers()).containsEntry("Cache-Control", "no-store")
                .containsEntry("X-Frame-Options", "DENY").hasEntrySatisfying("Content-Security-Policy", csp -> assertThat(csp).contains("frame-ancestors 'none'"));
        assertThat(body(page)).contains("<strong class=\"client-name\">“Test App”</strong> <span class=\"unverified\">")
                .contains("<span class=\"client-id\">" + client.id() + "</span>")
                .contains("<span class=\"host\">127.0.0.1</span>")
                .contains("Read your files</span> <code class=\"scope\">mcp:read</code>")
                .contains("name=\"client_id\" value=\"" + client.id() + "\"")
                .contains("<button type=\"submit\" class=\"revoke\"");
    }

    @Test
    void revoking_forgets_the_consent_refuses_the_refresh_token_and_the_next_authorization_asks_again() {
        Client client = as.registerPublic("Test App", OAuthDriver.LOOPBACK_REDIRECT);
        Authorization done = as.authorize(client);
        Map<String, Object> tokens = json(as.exchange(done));
        String refreshToken = (String) tokens.get("refresh_token");
        assertThat(refreshToken).isNotBlank();
        AsResponse page = account(done.session());

        AsResponse revoked = revoke(done.session(), params("csrf", hidden(page, "csrf"), "client_id", client.id()),
                Map.of("Origin", OAuthDriver.ISSUER.toString()));

        assertThat(revoked.status()).isEqualTo(303);
        assertThat(revoked.headers()).containsEntry("Location", OAuthDriver.ISSUER + "/oauth/account?revoked=1");
        assertThat(as.stores.consents().granted("alice", client.id())).isEmpty();
        AsResponse refresh = as.refresh(client, refreshToken);
        assertThat(refresh.status()).isEqualTo(400);
        assertThat(json(refresh)).containsEntry("error", "invalid_grant");
        assertThat(as.server.isRevoked(OAuthDriver.jti(tokens))).isTrue();
        AsResponse after = as.get(AuthorizationServer.ACCOUNT, Map.of("revoked", "1"), done.session());
        assertThat(body(after)).contains("id=\"revoked\"", "You have not allowed any application.").doesNotContain("Test App");
        // the same signed-in browser is asked again instead of being sent straight back with a code
        AsResponse again = as.start(client, done.session()).response();
        assertThat(again.status()).isEqualTo(200);
        assertThat(body(again)).contains("id=\"consent-form\"");
    }

    @Test
    @Tag("attack")
    void a_revocation_without_the_sessions_csrf_token_or_from_another_origin_is_refused_and_revokes_nothing() {
        Client client = as.registerPublic("Test App", OAuthDriver.LOOPBACK_REDIRECT);
        Authorization done = as.authorize(client);
        String refreshToken = (String) json(as.exchange(done)).get("refresh_token");
        Authorization admins = as.authorizeAs("admin", ADMIN_PASSWORD, client);
        String csrf = hidden(account(done.session()), "csrf");
        String adminsCsrf = hidden(account(admins.session()), "csrf");

        List<AsResponse> refused = List.of(
                revoke(done.session(), params("client_id", client.id()), Map.of()),
                revoke(done.session(), params("csrf", "", "client_id", client.id()), Map.of()),
                revoke(done.session(), params("csrf", "A".repeat(43), "client_id", client.id()), Map.of()),
                revoke(done.session(), params("csrf", adminsCsrf, "client_id", client.id()), Map.of()),
                revoke(done.session(), params("csrf", csrf, "client_id", client.id()), Map.of("Origin", "https://evil.example")));

        assertThat(refused).allSatisfy(r -> {
            assertThat(r.status()).as(body(r)).isEqualTo(403);
            assertThat(r.headers()).doesNotContainKey("Location");
        });
        assertThat(as.stores.consents().granted("alice", client.id())).isNotEmpty();
        assertThat(as.refresh(client, refreshToken).status()).isEqualTo(200);
        assertThat(as.get(AuthorizationServer.REVOKE_CONSENT, Map.of(), done.session()).status()).isEqualTo(405);
    }

    @Test
    @Tag("attack")
    void a_user_can_revoke_only_their_own_consent() {
        Client client = as.registerPublic("Test App", OAuthDriver.LOOPBACK_REDIRECT);
        Authorization alices = as.authorize(client);
        Authorization admins = as.authorizeAs("admin", ADMIN_PASSWORD, client);
        String adminsRefreshToken = (String) json(as.exchange(admins)).get("refresh_token");
        Client onlyAdmins = as.registerPublic("Admin Tool", OAuthDriver.LOOPBACK_REDIRECT);
        as.authorizeAs("admin", ADMIN_PASSWORD, onlyAdmins);
        String csrf = hidden(account(alices.session()), "csrf");

        // the username comes from alice's session: naming a client only admin approved, or one both approved, touches only alice's
        assertThat(revoke(alices.session(), params("csrf", csrf, "client_id", onlyAdmins.id()), Map.of()).status()).isEqualTo(303);
        assertThat(revoke(alices.session(), params("csrf", csrf, "client_id", client.id(), "username", "admin"), Map.of()).status())
                .isEqualTo(303);

        assertThat(as.stores.consents().granted("alice", client.id())).isEmpty();
        assertThat(as.stores.consents().granted("admin", client.id())).isNotEmpty();
        assertThat(as.stores.consents().granted("admin", onlyAdmins.id())).isNotEmpty();
        assertThat(as.refresh(client, adminsRefreshToken).status()).isEqualTo(200);
        assertThat(body(account(admins.session()))).contains("Test App", "Admin Tool");
    }

    @Test
    void a_narrower_scope_without_a_description_is_described_by_its_kind_and_an_unknown_one_shows_only_the_scope() {
        ScopeDescriptions descriptions = ScopeDescriptions.of(Map.of("mcp:tools", "Operator words"));

        assertThat(descriptions.describe("mcp:tools")).contains("Operator words");
        assertThat(descriptions.describe("mcp:prompts")).contains(ScopeDescriptions.DEFAULTS.get("mcp:prompts"));
        assertThat(descriptions.describe("mcp:tools:echo")).contains("Call the tool “echo”");
        assertThat(descriptions.describe("billing:write")).isEmpty();
        assertThat(URI.create(OAuthDriver.RESOURCE)).isNotNull();
    }
}
