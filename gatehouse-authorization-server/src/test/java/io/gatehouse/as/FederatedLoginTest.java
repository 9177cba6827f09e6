package io.gatehouse.as;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gatehouse.as.federation.ClaimMapping;
import io.gatehouse.as.federation.ClientAuthentication;
import io.gatehouse.as.federation.FederatedLogin;
import io.gatehouse.as.federation.FederationSettings;
import io.gatehouse.as.federation.RoleScopes;
import io.gatehouse.testkit.TestOpenIdProvider;
import io.gatehouse.testkit.TestOpenIdProvider.Account;
import io.gatehouse.testkit.TestOpenIdProvider.Flaw;
import io.gatehouse.as.store.AsStores;
import io.gatehouse.as.users.UserDirectory;
import io.gatehouse.as.web.AsRequest;
import io.gatehouse.as.web.AsResponse;
import io.gatehouse.testkit.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Issue 18, points 1 to 4: the embedded authorization server sends the browser to an upstream OpenID provider (a
 * controllable one, {@link TestOpenIdProvider}), validates what comes back, and continues with its own consent and
 * tokens; refusals of everything a provider, a network attacker or another browser could get wrong.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("issue-18")
class FederatedLoginTest {

    static final String SECRET = "upstream-client-secret-4f8a1c";
    static final Account ALICE = new Account("3b0e6a52-alice", "alice", List.of("mcp-user", "offline_access"));
    static final Account NOBODY = new Account("9c1d-nobody", "nobody", List.of("offline_access"));
    static TestOpenIdProvider provider;
    static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    static final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    static Level rootLevel;

    MutableClock clock;
    AsStores stores;
    OAuthDriver driver;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void startProvider() {
        provider = new TestOpenIdProvider(SECRET);
        rootLevel = root.getLevel();
        root.setLevel(Level.DEBUG);
        logs.start();
        root.addAppender(logs);
    }

    @AfterAll
    static void stopProvider() {
        root.detachAppender(logs);
        root.setLevel(rootLevel);
        provider.close();
    }

    @BeforeEach
    void server() {
        provider.signsIn(ALICE).withFlaw(Flaw.NONE);
        provider.acceptsPrivateKeyJwt(null);
        clock = new MutableClock(Instant.now());
        stores = AsStores.inMemory(new TestKeyStore());
        driver = new OAuthDriver(clock, stores, server(stores, new ClientAuthentication.SharedSecret("client_secret_basic", SECRET),
                new UserDirectory(List.of()), false));
    }

    AuthorizationServer server(AsStores over, ClientAuthentication authentication, UserDirectory users, boolean localUsers) {
        FederationSettings login = new FederationSettings(provider.issuer(), TestOpenIdProvider.CLIENT_ID, authentication,
                FederationSettings.DEFAULT_SCOPES, new ClaimMapping("preferred_username", "email", "realm_access.roles"), Duration.ofMinutes(5));
        AsSettings settings = OAuthDriver.settings(true, Optional.empty());
        FederatedLogin federation = new FederatedLogin(login, over.upstreamLogins(),
                new RoleScopes(Map.of("mcp-user", Set.of("mcp:read", "mcp:tools"))), settings.issuer(), Duration.ofDays(90), false, clock);
        return new AuthorizationServer(settings, over, OAuthDriver.CONFIGURED, users, clock, AsMetrics.unread(), Optional.of(federation),
                localUsers);
    }

    // ------------------------------------------------------------------ browser

    /** What the browser holds: the binding cookie set by the authorization endpoint, and where the provider sent it back. */
    record AtProvider(OAuthDriver.Start start, String binding, URI providerRequest, URI callback) {
    }

    /** The MCP client sends the browser to Gatehouse, which sends it to the provider, which sends it back to the callback. */
    AtProvider toProviderAndBack(OAuthDriver.Client client) {
        OAuthDriver.Start start = driver.start(client);
        assertThat(start.response().status()).as(OAuthDriver.body(start.response())).isEqualTo(302);
        URI providerRequest = URI.create(start.response().headers().get("Location"));
        assertThat(providerRequest.toString()).startsWith(provider.issuer() + "/authorize?");
        String binding = cookie(start.response(), FederatedLogin.BINDING_COOKIE).orElseThrow();
        return new AtProvider(start, binding, providerRequest, follow(providerRequest));
    }

    URI follow(URI providerRequest) {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(providerRequest).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(302);
            return URI.create(answer.headers().firstValue("Location").orElseThrow());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    AsResponse callback(URI callback, Map<String, String> cookies) {
        assertThat(callback.getPath()).isEqualTo(AuthorizationServer.LOGIN_CALLBACK);
        Map<String, List<String>> query = new LinkedHashMap<>();
        OAuthDriver.query(callback).forEach((k, v) -> query.put(k, List.of(v)));
        AsRequest request = new AsRequest("GET", callback.getPath(), query, Map.of(), Map.of(), cookies, new byte[0], "127.0.0.1");
        AsResponse response = driver.server.handle(request).orElseThrow();
        driver.responses.add(response);
        return response;
    }

    static Optional<String> cookie(AsResponse response, String name) {
        return response.setCookies().stream().filter(c -> c.startsWith(name + "=")).map(c -> c.substring(name.length() + 1).split(";", 2)[0])
                .filter(v -> !v.isEmpty()).findFirst();
    }

    /** The whole journey: provider, callback, Gatehouse's consent; answers the token response. */
    Map<String, Object> signInAndConsent(OAuthDriver.Client client) {
        AtProvider at = toProviderAndBack(client);
        AsResponse consentPage = callback(at.callback(), Map.of(FederatedLogin.BINDING_COOKIE, at.binding()));
        assertThat(consentPage.status()).as(OAuthDriver.body(consentPage)).isEqualTo(200);
        Optional<String> session = cookie(consentPage, OAuthDriver.SESSION_COOKIE);
        AsResponse approved = driver.consent(consentPage, session, "approve");
        Map<String, String> back = OAuthDriver.callback(approved);
        assertThat(approved.headers().get("Location")).startsWith(client.redirectUri() + "?");
        assertThat(back.get("state")).isEqualTo(at.start().params().get("state"));
        AsResponse tokens = driver.exchange(new OAuthDriver.Authorization(client, back.get("code"), at.start().verifier(),
                client.redirectUri(), back, session));
        assertThat(tokens.status()).as(OAuthDriver.body(tokens)).isEqualTo(200);
        return OAuthDriver.json(tokens);
    }

    static String text(AsResponse response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ the journey

    @Test
    void the_user_signs_in_at_the_provider_consents_at_gatehouse_and_gets_a_token_whose_subject_and_roles_come_from_the_provider() {
        OAuthDriver.Client client = driver.registerPublic();
        AtProvider at = toProviderAndBack(client);
        Map<String, String> asked = OAuthDriver.query(at.providerRequest());
        assertThat(asked).containsEntry("response_type", "code").containsEntry("client_id", TestOpenIdProvider.CLIENT_ID)
                .containsEntry("code_challenge_method", "S256").containsEntry("redirect_uri", OAuthDriver.ISSUER + "/oauth/login/callback")
                .containsKeys("state", "nonce", "code_challenge");
        assertThat(asked.get("scope").split(" ")).contains("openid", "profile", "email");
        // the provider's state, nonce and verifier are Gatehouse's own, never the MCP client's
        assertThat(asked.get("state")).isNotEqualTo(at.start().params().get("state")).hasSizeGreaterThanOrEqualTo(43);

        AsResponse consentPage = callback(at.callback(), Map.of(FederatedLogin.BINDING_COOKIE, at.binding()));
        assertThat(consentPage.status()).isEqualTo(200);
        assertThat(text(consentPage)).contains("Allow access?").contains("alice");
        Optional<String> session = cookie(consentPage, OAuthDriver.SESSION_COOKIE);
        assertThat(session).isPresent();
        Map<String, String> back = OAuthDriver.callback(driver.consent(consentPage, session, "approve"));
        Map<String, Object> tokens = OAuthDriver.json(driver.exchange(new OAuthDriver.Authorization(client, back.get("code"),
                at.start().verifier(), client.redirectUri(), back, session)));
        Map<String, Object> claims = OAuthDriver.jwtClaims(OAuthDriver.accessToken(tokens));
        assertThat(claims.get("sub")).isEqualTo(ALICE.sub());
        assertThat(claims.get("preferred_username")).isEqualTo("alice");
        assertThat(String.valueOf(claims.get("roles"))).contains("mcp-user");
        assertThat(String.valueOf(claims.get("scope")).split(" ")).containsExactlyInAnyOrder("mcp:read", "mcp:tools");
        assertThat(claims.get("iss")).isEqualTo(OAuthDriver.ISSUER.toString());
        // the code went to the provider's token endpoint with PKCE and Gatehouse's client authentication
        Map<String, String> exchange = provider.requestsTo("/token").getLast();
        assertThat(exchange).containsEntry("grant_type", "authorization_code").containsKey("code_verifier");

        // signed in: the next authorization (another application) does not go to the provider again
        OAuthDriver.Client other = driver.registerPublic("Other App", OAuthDriver.LOOPBACK_REDIRECT);
        OAuthDriver.Start again = driver.start(other, session);
        assertThat(again.response().status()).isEqualTo(200);
        assertThat(text(again.response())).contains("Allow access?");
    }

    @Test
    void a_refresh_within_the_check_interval_does_not_ask_the_provider_and_one_after_it_does() {
        OAuthDriver.Client client = driver.registerPublic();
        Map<String, Object> tokens = signInAndConsent(client);
        int refreshesAtProvider = provider.requestsTo("/token").size();
        AsResponse first = driver.refresh(client, (String) tokens.get("refresh_token"));
        assertThat(first.status()).isEqualTo(200);
        assertThat(provider.requestsTo("/token")).hasSize(refreshesAtProvider);
        clock.advance(Duration.ofMinutes(6));
        AsResponse second = driver.refresh(client, (String) OAuthDriver.json(first).get("refresh_token"));
        assertThat(second.status()).as(OAuthDriver.body(second)).isEqualTo(200);
        assertThat(provider.requestsTo("/token")).hasSize(refreshesAtProvider + 1);
        assertThat(provider.requestsTo("/token").getLast()).containsEntry("grant_type", "refresh_token");
    }

    @Test
    @Tag("attack")
    void a_role_removed_at_the_provider_ends_the_grant_at_the_next_check_although_the_account_still_refreshes() {
        Account frank = new Account("frank-sub", "frank", List.of("mcp-user"));
        provider.signsIn(frank);
        OAuthDriver.Client client = driver.registerPublic();
        Map<String, Object> tokens = signInAndConsent(client);

        provider.changeRoles(frank.sub(), List.of("visitor")); // still enabled, but no role that grants a scope
        clock.advance(Duration.ofMinutes(6));
        AsResponse refused = driver.refresh(client, (String) tokens.get("refresh_token"));

        assertThat(refused.status()).as(OAuthDriver.body(refused)).isEqualTo(400);
        assertThat(OAuthDriver.json(refused)).containsEntry("error", "invalid_grant");
        assertThat(driver.server.isRevoked(OAuthDriver.jti(tokens))).isTrue();
    }

    @Test
    @Tag("attack")
    void once_the_provider_refuses_the_upstream_refresh_the_gatehouse_refresh_is_refused_and_the_family_revoked() {
        Account carol = new Account("carol-sub", "carol", List.of("mcp-user"));
        provider.signsIn(carol);
        OAuthDriver.Client client = driver.registerPublic();
        Map<String, Object> tokens = signInAndConsent(client);
        AsResponse fine = driver.refresh(client, (String) tokens.get("refresh_token"));
        assertThat(fine.status()).isEqualTo(200);
        String latest = (String) OAuthDriver.json(fine).get("refresh_token");
        String jti = OAuthDriver.jti(OAuthDriver.json(fine));

        provider.disable(carol.sub());
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        AsResponse refused = driver.refresh(client, latest);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(OAuthDriver.json(refused)).containsEntry("error", "invalid_grant");
        // the family is revoked: its access token too, and the refresh token stays refused
        assertThat(driver.server.isRevoked(jti)).isTrue();
        assertThat(driver.refresh(client, latest).status()).isEqualTo(400);
    }

    @Test
    void signing_out_ends_the_grant_and_sends_the_browser_to_the_providers_end_session_endpoint() {
        OAuthDriver.Client client = driver.registerPublic();
        AtProvider at = toProviderAndBack(client);
        AsResponse consentPage = callback(at.callback(), Map.of(FederatedLogin.BINDING_COOKIE, at.binding()));
        Optional<String> session = cookie(consentPage, OAuthDriver.SESSION_COOKIE);
        Map<String, String> back = OAuthDriver.callback(driver.consent(consentPage, session, "approve"));
        Map<String, Object> tokens = OAuthDriver.json(driver.exchange(new OAuthDriver.Authorization(client, back.get("code"),
                at.start().verifier(), client.redirectUri(), back, session)));

        AsResponse account = driver.get(AuthorizationServer.ACCOUNT, Map.of(), session);
        assertThat(text(account)).contains("alice").contains("sign-out");
        AsResponse out = driver.postForm(AuthorizationServer.SIGN_OUT, Map.of("csrf", OAuthDriver.hidden(account, "csrf")), Map.of(), session);
        assertThat(out.status()).isEqualTo(303);
        URI endSession = URI.create(out.headers().get("Location"));
        assertThat(endSession.toString()).startsWith(provider.issuer() + "/logout?");
        assertThat(OAuthDriver.query(endSession)).containsKey("id_token_hint")
                .containsEntry("post_logout_redirect_uri", OAuthDriver.ISSUER + "/oauth/account?signed_out=1");
        assertThat(driver.refresh(client, (String) tokens.get("refresh_token")).status()).isEqualTo(400);
        assertThat(driver.get(AuthorizationServer.ACCOUNT, Map.of(), session).status()).isEqualTo(401);
    }

    // ------------------------------------------------------------------ refusals

    @Test
    @Tag("attack")
    void a_user_whose_roles_grant_nothing_is_denied_with_a_page_that_says_why() {
        provider.signsIn(NOBODY);
        AtProvider at = toProviderAndBack(driver.registerPublic());
        AsResponse denied = callback(at.callback(), Map.of(FederatedLogin.BINDING_COOKIE, at.binding()));
        assertThat(denied.status()).isEqualTo(403);
        assertThat(text(denied)).contains("Access denied").contains("no role that grants access").contains("offline_access");
        assertThat(cookie(denied, OAuthDriver.SESSION_COOKIE)).isEmpty();
    }

    @Test
    @Tag("attack")
    void for_a_client_the_operator_configured_the_denial_goes_to_its_redirect_uri_as_access_denied() {
        provider.signsIn(NOBODY);
        AtProvider at = toProviderAndBack(OAuthDriver.OPERATOR_CLIENT);
        AsResponse denied = callback(at.callback(), Map.of(FederatedLogin.BINDING_COOKIE, at.binding()));
        Map<String, String> back = OAuthDriver.callback(denied);
        assertThat(denied.headers().get("Location")).startsWith(OAuthDriver.LOOPBACK_REDIRECT + "?");
        assertThat(back).containsEntry("error", "access_denied").containsEntry("state", at.start().params().get("state"));
        assertThat(back.get("error_description")).contains("no role");
    }

    @Test
    @Tag("attack")
    void an_error_from_the_provider_gives_a_clear_page() {
        provider.answersError("access_denied");
        AtProvider at = toProviderAndBack(driver.registerPublic());
        AsResponse page = callback(at.callback(), Map.of(FederatedLogin.BINDING_COOKIE, at.binding()));
        assertThat(page.status()).isEqualTo(403);
        assertThat(text(page)).contains("did not sign you in").contains("access_denied").doesNotContain("Exception");
    }

    @Test
    @Tag("attack")
    void a_wrong_state_is_refused() {
        AtProvider at = toProviderAndBack(driver.registerPublic());
        Map<String, String> query = OAuthDriver.query(at.callback());
        URI forged = URI.create(AuthorizationServer.LOGIN_CALLBACK + "?code=" + query.get("code") + "&state=" + "A".repeat(43));
        AsResponse refused = callback(forged, Map.of(FederatedLogin.BINDING_COOKIE, at.binding()));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(text(refused)).contains("Sign-in expired");
        AsResponse missing = callback(URI.create(AuthorizationServer.LOGIN_CALLBACK + "?code=" + query.get("code")),
                Map.of(FederatedLogin.BINDING_COOKIE, at.binding()));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(cookie(missing, OAuthDriver.SESSION_COOKIE)).isEmpty();
    }

    @Test
    @Tag("attack")
    void an_answer_naming_another_issuer_is_refused() {
        AtProvider at = toProviderAndBack(driver.registerPublic());
        Map<String, String> query = OAuthDriver.query(at.callback());
        URI mixedUp = URI.create(AuthorizationServer.LOGIN_CALLBACK + "?code=" + query.get("code") + "&state=" + query.get("state")
                + "&iss=https%3A%2F%2Fevil.example");
        AsResponse refused = callback(mixedUp, Map.of(FederatedLogin.BINDING_COOKIE, at.binding()));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(text(refused)).contains("another identity provider");
        assertThat(cookie(refused, OAuthDriver.SESSION_COOKIE)).isEmpty();
    }

    @Test
    @Tag("attack")
    void a_replayed_state_is_refused() {
        AtProvider at = toProviderAndBack(driver.registerPublic());
        Map<String, String> cookies = Map.of(FederatedLogin.BINDING_COOKIE, at.binding());
        assertThat(callback(at.callback(), cookies).status()).isEqualTo(200);
        AsResponse replay = callback(at.callback(), cookies);
        assertThat(replay.status()).isEqualTo(400);
        assertThat(text(replay)).contains("already used");
    }

    @Test
    @Tag("attack")
    void a_code_injected_from_another_login_is_refused() {
        // the attacker's own sign-in, completed at the provider; its callback URL is planted in the victim's browser
        AtProvider attacker = toProviderAndBack(driver.registerPublic());
        AtProvider victim = toProviderAndBack(driver.registerPublic());
        AsResponse planted = callback(attacker.callback(), Map.of(FederatedLogin.BINDING_COOKIE, victim.binding()));
        assertThat(planted.status()).isEqualTo(400);
        assertThat(text(planted)).contains("another browser");
        AsResponse noCookie = callback(victim.callback(), Map.of());
        assertThat(noCookie.status()).isEqualTo(400);
        assertThat(cookie(planted, OAuthDriver.SESSION_COOKIE)).isEmpty();
        // the attacker's code alone, under the victim's state: PKCE and nonce (derived from the victim's binding) fail
        Map<String, String> victimQuery = OAuthDriver.query(toProviderAndBack(driver.registerPublic()).callback());
        AtProvider victim2 = toProviderAndBack(driver.registerPublic());
        String attackerCode = victimQuery.get("code");
        URI swapped = URI.create(AuthorizationServer.LOGIN_CALLBACK + "?code=" + attackerCode + "&state="
                + OAuthDriver.query(victim2.callback()).get("state"));
        AsResponse refused = callback(swapped, Map.of(FederatedLogin.BINDING_COOKIE, victim2.binding()));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(cookie(refused, OAuthDriver.SESSION_COOKIE)).isEmpty();
    }

    @Test
    @Tag("attack")
    void the_callback_never_follows_a_redirect_target_given_to_it() {
        OAuthDriver.Client client = driver.registerPublic();
        AtProvider at = toProviderAndBack(client);
        URI withTargets = URI.create(at.callback() + "&redirect_uri=https%3A%2F%2Fevil.example%2F&return_to=https%3A%2F%2Fevil.example%2F"
                + "&post_login_redirect=https%3A%2F%2Fevil.example%2F");
        AsResponse consentPage = callback(withTargets, Map.of(FederatedLogin.BINDING_COOKIE, at.binding()));
        assertThat(consentPage.status()).isEqualTo(200);
        assertThat(text(consentPage)).doesNotContain("evil.example");
        Optional<String> session = cookie(consentPage, OAuthDriver.SESSION_COOKIE);
        AsResponse approved = driver.consent(consentPage, session, "approve");
        assertThat(approved.headers().get("Location")).startsWith(client.redirectUri() + "?").doesNotContain("evil.example");
    }

    @Test
    @Tag("attack")
    void an_id_token_without_the_nonce_is_refused() {
        assertRefusedWith(Flaw.NO_NONCE);
    }

    @Test
    @Tag("attack")
    void a_replayed_id_token_is_refused_by_its_nonce() {
        provider.withFlaw(Flaw.NONE);
        signInAndConsent(driver.registerPublic());
        assertRefusedWith(Flaw.REPLAY_LAST);
    }

    @Test
    @Tag("attack")
    void an_id_token_from_another_issuer_is_refused() {
        assertRefusedWith(Flaw.OTHER_ISSUER);
    }

    @Test
    @Tag("attack")
    void an_id_token_for_another_audience_is_refused() {
        assertRefusedWith(Flaw.OTHER_AUDIENCE);
    }

    @Test
    @Tag("attack")
    void an_expired_id_token_is_refused() {
        assertRefusedWith(Flaw.EXPIRED);
    }

    @Test
    @Tag("attack")
    void an_id_token_signed_by_an_unknown_key_is_refused() {
        assertRefusedWith(Flaw.UNKNOWN_KEY);
    }

    private void assertRefusedWith(Flaw flaw) {
        OAuthDriver.Client client = driver.registerPublic();
        provider.withFlaw(flaw);
        AtProvider at = toProviderAndBack(client);
        AsResponse refused = callback(at.callback(), Map.of(FederatedLogin.BINDING_COOKIE, at.binding()));
        provider.withFlaw(Flaw.NONE);
        assertThat(refused.status()).as(text(refused)).isEqualTo(400);
        assertThat(text(refused)).contains("could not be verified").doesNotContain("Exception");
        assertThat(cookie(refused, OAuthDriver.SESSION_COOKIE)).isEmpty();
        assertThat(refused.headers()).doesNotContainKey("Location");
    }

    @Test
    @Tag("attack")
    void the_client_secret_codes_tokens_state_and_nonce_never_appear_in_the_logs() {
        logs.list.clear();
        OAuthDriver.Client client = driver.registerPublic();
        AtProvider at = toProviderAndBack(client);
        Map<String, String> asked = OAuthDriver.query(at.providerRequest());
        AsResponse consentPage = callback(at.callback(), Map.of(FederatedLogin.BINDING_COOKIE, at.binding()));
        Optional<String> session = cookie(consentPage, OAuthDriver.SESSION_COOKIE);
        Map<String, String> back = OAuthDriver.callback(driver.consent(consentPage, session, "approve"));
        Map<String, Object> tokens = OAuthDriver.json(driver.exchange(new OAuthDriver.Authorization(client, back.get("code"),
                at.start().verifier(), client.redirectUri(), back, session)));
        clock.advance(Duration.ofMinutes(6));
        driver.refresh(client, (String) tokens.get("refresh_token"));
        provider.withFlaw(Flaw.OTHER_AUDIENCE);
        AtProvider bad = toProviderAndBack(client);
        callback(bad.callback(), Map.of(FederatedLogin.BINDING_COOKIE, bad.binding()));
        provider.withFlaw(Flaw.NONE);

        String all = String.join("\n", logs.list.stream().map(e -> e.getFormattedMessage() + " "
                + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage())).toList());
        assertThat(all).contains("Federated login");
        assertThat(all).doesNotContain(SECRET).doesNotContain(at.binding()).doesNotContain(asked.get("state"))
                .doesNotContain(asked.get("nonce")).doesNotContain(OAuthDriver.query(at.callback()).get("code"))
                .doesNotContain((String) tokens.get("refresh_token")).doesNotContain(OAuthDriver.accessToken(tokens));
        String basic = java.util.Base64.getEncoder().encodeToString((TestOpenIdProvider.CLIENT_ID + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
        assertThat(provider.tokenAuthorizations).contains("Basic " + basic);
        assertThat(all.toLowerCase(Locale.ROOT)).doesNotContain(basic.toLowerCase(Locale.ROOT));
    }

    // ------------------------------------------------------------------ private_key_jwt, nodes, local users

    @Test
    @Tag("attack")
    void with_private_key_jwt_the_key_is_made_owner_only_in_the_data_directory_its_public_half_served_and_it_signs_in(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dataDir) throws Exception {
        java.nio.file.Path keyFile = dataDir.resolve("login-client-key.json");
        AuthorizationServer server = server(stores, new ClientAuthentication.PrivateKeyJwt(keyFile), new UserDirectory(List.of()), false);
        driver = new OAuthDriver(clock, stores, server);
        assertThat(java.nio.file.Files.getPosixFilePermissions(keyFile)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        AsResponse jwks = driver.get(AuthorizationServer.LOGIN_CLIENT_JWKS, Map.of(), Optional.empty());
        assertThat(jwks.status()).isEqualTo(200);
        com.nimbusds.jose.jwk.JWKSet published = com.nimbusds.jose.jwk.JWKSet.parse(text(jwks));
        assertThat(published.getKeys()).hasSize(1).allSatisfy(k -> assertThat(k.isPrivate()).isFalse());
        provider.acceptsPrivateKeyJwt(published);

        Map<String, Object> tokens = signInAndConsent(driver.registerPublic());
        assertThat(OAuthDriver.jwtClaims(OAuthDriver.accessToken(tokens)).get("sub")).isEqualTo(ALICE.sub());
        assertThat(provider.requestsTo("/token").getLast()).containsKey("client_assertion").doesNotContainKey("client_secret");
        // a restart keeps the key the operator registered
        server(stores, new ClientAuthentication.PrivateKeyJwt(keyFile), new UserDirectory(List.of()), false);
        assertThat(text(driver.get(AuthorizationServer.LOGIN_CLIENT_JWKS, Map.of(), Optional.empty())))
                .isEqualTo(published.toString(true));
    }

    @Test
    @Tag("issue-18")
    void a_sign_in_started_on_one_node_continues_on_another_sharing_the_database(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        try (io.gatehouse.as.store.JdbcStores database = io.gatehouse.as.store.JdbcStores.open(io.gatehouse.as.store.JdbcStores.h2Url(dir),
                Optional.empty(), Optional.empty(), io.gatehouse.as.keys.KeyEncryptionKey.generate())) {
            ClientAuthentication secret = new ClientAuthentication.SharedSecret("client_secret_basic", SECRET);
            OAuthDriver nodeA = new OAuthDriver(clock, database.stores(), server(database.stores(), secret, new UserDirectory(List.of()), false));
            OAuthDriver nodeB = new OAuthDriver(clock, database.stores(), server(database.stores(), secret, new UserDirectory(List.of()), false));
            driver = nodeA;
            Account erin = new Account("erin-sub", "erin", List.of("mcp-user"));
            provider.signsIn(erin);
            OAuthDriver.Client client = nodeA.registerPublic();
            AtProvider at = toProviderAndBack(client);
            driver = nodeB;
            Map<String, String> cookies = Map.of(FederatedLogin.BINDING_COOKIE, at.binding());
            AsResponse consentPage = callback(at.callback(), cookies);
            assertThat(consentPage.status()).as(text(consentPage)).isEqualTo(200);
            Optional<String> session = cookie(consentPage, OAuthDriver.SESSION_COOKIE);
            Map<String, String> back = OAuthDriver.callback(nodeA.consent(consentPage, session, "approve"));
            AsResponse tokens = nodeB.exchange(new OAuthDriver.Authorization(client, back.get("code"), at.start().verifier(),
                    client.redirectUri(), back, session));
            assertThat(tokens.status()).isEqualTo(200);
            // the state was spent on node B: node A refuses it too
            driver = nodeA;
            assertThat(callback(at.callback(), cookies).status()).isEqualTo(400);
            // the upstream check of a refresh happens on whichever node gets it, with the stored (sealed) upstream token
            provider.disable(erin.sub());
            clock.advance(Duration.ofMinutes(6));
            assertThat(nodeA.refresh(client, (String) OAuthDriver.json(tokens).get("refresh_token")).status()).isEqualTo(400);
        }
    }

    @Test
    void with_local_users_allowed_the_login_form_links_to_the_provider() {
        UserDirectory users = new UserDirectory(List.of(OAuthDriver.ALICE));
        driver = new OAuthDriver(clock, stores, server(stores, new ClientAuthentication.SharedSecret("client_secret_basic", SECRET), users, true));
        OAuthDriver.Start start = driver.start(driver.registerPublic());
        assertThat(start.response().status()).isEqualTo(200);
        String page = text(start.response());
        assertThat(page).contains("login-form").contains("Sign in at 127.0.0.1");
        String link = page.replaceAll("(?s).*id=\"login-upstream\" href=\"([^\"]+)\".*", "$1").replace("&amp;", "&");
        URI upstream = URI.create(link);
        AsResponse toProvider = driver.get(upstream.getPath(), OAuthDriver.query(upstream), Optional.empty());
        assertThat(toProvider.status()).isEqualTo(302);
        assertThat(toProvider.headers().get("Location")).startsWith(provider.issuer() + "/authorize?");
        // the form still signs in a configured user
        AsResponse afterLogin = driver.login(start.response(), "alice", OAuthDriver.ALICE_PASSWORD);
        assertThat(afterLogin.status()).isEqualTo(200);
        assertThat(text(afterLogin)).contains("Allow access?");
    }

    @Test
    @Tag("attack")
    void the_login_forms_provider_link_followed_over_and_over_keeps_no_more_sign_ins_than_the_authorization_endpoint_would() {
        UserDirectory users = new UserDirectory(List.of(OAuthDriver.ALICE));
        driver = new OAuthDriver(clock, stores, server(stores, new ClientAuthentication.SharedSecret("client_secret_basic", SECRET), users, true));
        OAuthDriver.Start start = driver.start(driver.registerPublic());
        String link = text(start.response()).replaceAll("(?s).*id=\"login-upstream\" href=\"([^\"]+)\".*", "$1").replace("&amp;", "&");
        URI upstream = URI.create(link);

        int status = 0;
        for (int i = 0; i < 1_001 && status != 429; i++) { // one address may keep 1,000 pending sign-ins (PARKED_PER_CALLER)
            status = driver.get(upstream.getPath(), OAuthDriver.query(upstream), Optional.empty()).status();
        }

        assertThat(status).isEqualTo(429);
        assertThat(stores.upstreamLogins().startedHeld()).isLessThanOrEqualTo(1_000);
    }
}
