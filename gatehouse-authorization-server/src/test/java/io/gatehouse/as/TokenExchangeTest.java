package io.gatehouse.as;

import static io.gatehouse.as.OAuthDriver.accessToken;
import static io.gatehouse.as.OAuthDriver.body;
import static io.gatehouse.as.OAuthDriver.json;
import static io.gatehouse.as.OAuthDriver.jwtClaims;
import static io.gatehouse.as.OAuthDriver.params;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatehouse.as.OAuthDriver.Client;
import io.gatehouse.as.clients.ClientOrigin;
import io.gatehouse.as.clients.RegisteredClient;
import io.gatehouse.as.clients.Secrets;
import io.gatehouse.as.token.TokenExchange;
import io.gatehouse.as.token.TokenExchangeException;
import io.gatehouse.as.web.AsResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Issue 17 point 1: the embedded authorization server as an RFC 8693 token exchange server. Only confidential
 * clients from the config file with the grant and downstream audiences may exchange; the subject token must be a
 * live access token of this server; the issued token is for the downstream, names the user and the actor chain, lives
 * {@code token-exchange-lifetime} and comes without a refresh token.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("RFC8693")
@Tag("issue-17")
class TokenExchangeTest {

    static final String GRANT = TokenExchange.GRANT_TYPE;
    static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
    static final String REPORTS = "https://reports.example.com/api";
    static final String TICKETS = "ticket-system";
    /** The MCP server's client for calling downstreams: may ask for the reports API and the ticket system. */
    static final Client TOOLS = new Client("gatehouse-tools", Optional.of(OAuthDriver.CONFIGURED_SECRET), "https://gatehouse-tools.example/cb");
    /** The reports API, itself calling the ticket system as the user (a second exchange). */
    static final Client REPORTS_API = new Client("reports-api", Optional.of(OAuthDriver.CONFIGURED_SECRET), "https://reports-api.example/cb");
    /** A client of the config file with the grant but no secret (the config check refuses it; the server must too). */
    static final Client PUBLIC_EXCHANGER = new Client("public-exchanger", Optional.empty(), OAuthDriver.LOOPBACK_REDIRECT);

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final OAuthDriver as = new OAuthDriver(OAuthDriver.settings(true, Optional.empty()), configured(), new AsMetrics(registry));

    static List<RegisteredClient> configured() {
        List<RegisteredClient> clients = new ArrayList<>(OAuthDriver.CONFIGURED);
        clients.add(exchanger(TOOLS.id(), ClientOrigin.CONFIGURED, Optional.of(Secrets.hash(OAuthDriver.CONFIGURED_SECRET)),
                List.of(REPORTS, TICKETS)));
        clients.add(exchanger(REPORTS_API.id(), ClientOrigin.CONFIGURED, Optional.of(Secrets.hash(OAuthDriver.CONFIGURED_SECRET)),
                List.of(TICKETS)));
        clients.add(exchanger(PUBLIC_EXCHANGER.id(), ClientOrigin.CONFIGURED, Optional.empty(), List.of(REPORTS)));
        return clients;
    }

    static RegisteredClient exchanger(String id, ClientOrigin origin, Optional<String> secretHash, List<String> audiences) {
        return new RegisteredClient(id, secretHash, id, List.of(URI.create("https://" + id + ".example/cb")), Set.of(GRANT),
                secretHash.isPresent() ? "client_secret_basic" : "none", "web", Set.of(RegisteredClient.ANY_SCOPE), Instant.EPOCH, origin,
                false, audiences);
    }

    /** alice's token response from the code flow through the configured public app (scopes mcp:read mcp:tools). */
    Map<String, Object> alice() {
        return as.tokens(OAuthDriver.OPERATOR_CLIENT);
    }

    AsResponse exchange(Client client, String subjectToken, String... overrides) {
        Map<String, String> form = params("grant_type", GRANT, "subject_token", subjectToken, "subject_token_type", ACCESS_TOKEN_TYPE,
                "audience", TICKETS);
        OAuthDriver.apply(form, overrides);
        return as.postForm(AuthorizationServer.TOKEN, form, client.secret().isPresent() ? Map.of("Authorization", client.basic()) : Map.of(),
                Optional.empty());
    }

    static void assertRefused(AsResponse response, int status, String error) {
        assertThat(response.status()).as(body(response)).isEqualTo(status);
        assertThat(json(response)).containsEntry("error", error).doesNotContainKey("access_token");
        assertThat(response.headers()).containsEntry("Cache-Control", "no-store");
    }

    @Test
    void an_exchanged_token_is_for_the_downstream_names_the_user_and_the_actor_and_lives_briefly_without_a_refresh_token() {
        Map<String, Object> subject = alice();

        AsResponse response = exchange(TOOLS, accessToken(subject), "audience", null, "resource", REPORTS, "scope", "mcp:read");

        assertThat(response.status()).as(body(response)).isEqualTo(200);
        assertThat(response.headers()).containsEntry("Cache-Control", "no-store");
        Map<String, Object> tokens = json(response);
        assertThat(tokens).containsEntry("issued_token_type", ACCESS_TOKEN_TYPE).containsEntry("token_type", "Bearer")
                .containsEntry("scope", "mcp:read").containsEntry("expires_in", 300).doesNotContainKey("refresh_token");
        Map<String, Object> claims = jwtClaims(accessToken(tokens));
        assertThat(claims.get("aud")).isIn(REPORTS, List.of(REPORTS));
        assertThat(claims).containsEntry("sub", "alice").containsEntry("preferred_username", "alice")
                .containsEntry("iss", OAuthDriver.ISSUER.toString()).containsEntry("client_id", TOOLS.id())
                .containsEntry("act", Map.of("sub", TOOLS.id())).containsEntry("scope", "mcp:read");
        assertThat(((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue()).isEqualTo(300);
        assertThat(OAuthDriver.jwtHeader(accessToken(tokens))).containsEntry("typ", "at+jwt");
        assertThat(claims.get("jti")).isNotEqualTo(jwtClaims(accessToken(subject)).get("jti"));
        assertThat(registry.get("gatehouse.as.tokens.issued").tag("grant_type", "token_exchange").counter().count()).isEqualTo(1.0);
    }

    @Test
    void without_a_scope_the_exchanged_token_carries_the_subject_tokens_scopes_and_a_name_audience_is_kept_as_configured() {
        Map<String, Object> tokens = json(exchange(TOOLS, accessToken(alice())));

        assertThat(tokens).containsEntry("scope", "mcp:read mcp:tools");
        assertThat(jwtClaims(accessToken(tokens)).get("aud")).isIn(TICKETS, List.of(TICKETS));
    }

    @Test
    void the_exchanged_token_never_outlives_the_subject_token() {
        String subject = accessToken(alice());
        as.clock.advance(Duration.ofMinutes(13));

        Map<String, Object> claims = jwtClaims(accessToken(json(exchange(TOOLS, subject))));

        assertThat(((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue()).isEqualTo(120);
    }

    @Test
    void a_token_exchanged_before_is_exchanged_again_by_another_client_with_a_nested_actor() {
        String forReports = accessToken(json(exchange(TOOLS, accessToken(alice()), "audience", REPORTS)));

        AsResponse response = exchange(REPORTS_API, forReports, "audience", TICKETS);

        assertThat(response.status()).as(body(response)).isEqualTo(200);
        Map<String, Object> claims = jwtClaims(accessToken(json(response)));
        assertThat(claims).containsEntry("sub", "alice").containsEntry("client_id", REPORTS_API.id())
                .containsEntry("act", Map.of("sub", REPORTS_API.id(), "act", Map.of("sub", TOOLS.id())));
        assertThat(claims.get("aud")).isIn(TICKETS, List.of(TICKETS));
    }

    @Test
    @SuppressWarnings("unchecked")
    void the_metadata_advertises_the_grant_when_a_configured_client_may_use_it() {
        Map<String, Object> metadata = json(as.get("/.well-known/oauth-authorization-server", Map.of(), Optional.empty()));
        Map<String, Object> without = json(new OAuthDriver().get("/.well-known/oauth-authorization-server", Map.of(), Optional.empty()));

        assertThat((List<Object>) metadata.get("grant_types_supported")).contains(GRANT);
        assertThat((List<Object>) without.get("grant_types_supported")).doesNotContain(GRANT);
    }

    @Test
    void the_in_process_call_issues_the_same_token_without_client_authentication() {
        TokenExchange.Exchanged exchanged = as.server.tokenExchange().exchange(TOOLS.id(), accessToken(alice()), REPORTS,
                Optional.of(Set.of("mcp:tools")));

        Map<String, Object> claims = jwtClaims(exchanged.accessToken());
        assertThat(claims).containsEntry("sub", "alice").containsEntry("act", Map.of("sub", TOOLS.id())).containsEntry("scope", "mcp:tools");
        assertThat(claims.get("aud")).isIn(REPORTS, List.of(REPORTS));
        assertThat(exchanged.scopes()).containsExactly("mcp:tools");
        assertThat(exchanged.expiresAt()).isEqualTo(Instant.ofEpochSecond(((Number) claims.get("exp")).longValue()));
        assertThat(exchanged.toString()).doesNotContain(exchanged.accessToken());
    }

    @Test
    void every_exchange_granted_or_refused_is_logged_without_the_tokens() {
        Map<String, Object> subject = alice();
        Logger log = (Logger) LoggerFactory.getLogger(TokenExchange.class);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        log.addAppender(captured);
        String issued;
        try {
            issued = accessToken(json(exchange(TOOLS, accessToken(subject), "audience", REPORTS)));
            exchange(TOOLS, accessToken(subject), "audience", "https://evil.example.com");
            exchange(TOOLS, (String) subject.get("refresh_token"));
        } finally {
            log.detachAppender(captured);
        }

        List<String> lines = captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains("granted", TOOLS.id(), "alice", REPORTS);
        assertThat(lines.get(1)).contains("refused", TOOLS.id(), "invalid_target");
        assertThat(lines.get(2)).contains("refused", TOOLS.id(), "invalid_grant");
        assertThat(String.join("\n", lines)).doesNotContain(accessToken(subject), (String) subject.get("refresh_token"), issued,
                "evil.example.com");
    }

    // ------------------------------------------------------------------ refusals

    @Test
    @Tag("attack")
    void an_audience_not_on_the_clients_list_is_invalid_target() {
        String subject = accessToken(alice());

        assertRefused(exchange(TOOLS, subject, "audience", "https://evil.example.com"), 400, "invalid_target");
        assertRefused(exchange(REPORTS_API, subject, "audience", REPORTS), 400, "invalid_target");
        assertRefused(exchange(TOOLS, subject, "audience", null, "resource", "https://reports.example.com/other"), 400, "invalid_target");
        assertThatThrownBy(() -> as.server.tokenExchange().exchange(TOOLS.id(), subject, "https://evil.example.com", Optional.empty()))
                .isInstanceOfSatisfying(TokenExchangeException.class, e -> assertThat(e.error()).isEqualTo("invalid_target"));
    }

    @Test
    @Tag("attack")
    void the_mcp_server_itself_and_two_targets_at_once_are_invalid_target() {
        String subject = accessToken(alice());

        assertRefused(exchange(TOOLS, subject, "audience", OAuthDriver.RESOURCE), 400, "invalid_target");
        assertRefused(exchange(TOOLS, subject, "resource", REPORTS), 400, "invalid_target");
        assertRefused(as.postFormValues(AuthorizationServer.TOKEN, Map.of("grant_type", List.of(GRANT), "subject_token", List.of(subject),
                "subject_token_type", List.of(ACCESS_TOKEN_TYPE), "audience", List.of(TICKETS, REPORTS)),
                Map.of("Authorization", TOOLS.basic())), 400, "invalid_target");
    }

    @Test
    @Tag("attack")
    void a_scope_the_subject_token_does_not_carry_is_invalid_scope() {
        String readOnly = accessToken(as.tokens(OAuthDriver.OPERATOR_CLIENT, "scope", "mcp:read"));

        assertRefused(exchange(TOOLS, readOnly, "scope", "mcp:read mcp:tools"), 400, "invalid_scope");
        assertRefused(exchange(TOOLS, readOnly, "scope", "mcp:prompts"), 400, "invalid_scope");
    }

    @Test
    @Tag("attack")
    void a_public_client_may_not_exchange_even_when_configured_with_the_grant() {
        String subject = accessToken(alice());
        Client registered = as.registerPublic();

        assertRefused(exchange(PUBLIC_EXCHANGER, subject, "client_id", PUBLIC_EXCHANGER.id(), "audience", REPORTS), 400, "unauthorized_client");
        assertRefused(exchange(registered, subject, "client_id", registered.id()), 400, "unauthorized_client");
        assertThatThrownBy(() -> as.server.tokenExchange().exchange(PUBLIC_EXCHANGER.id(), subject, REPORTS, Optional.empty()))
                .isInstanceOfSatisfying(TokenExchangeException.class, e -> assertThat(e.error()).isEqualTo("unauthorized_client"));
    }

    @Test
    @Tag("attack")
    void a_self_registered_confidential_client_never_exchanges_even_with_the_grant_and_audiences_stored() {
        String subject = accessToken(alice());
        AsResponse registration = as.register("{\"client_name\":\"Exchanger\",\"redirect_uris\":[\"https://x.example.com/cb\"],"
                + "\"grant_types\":[\"" + GRANT + "\"],\"token_endpoint_auth_method\":\"client_secret_basic\"}");
        Client dynamic = as.registerConfidential("client_secret_basic", "authorization_code");
        for (ClientOrigin origin : List.of(ClientOrigin.SELF_REGISTERED, ClientOrigin.METADATA_DOCUMENT, ClientOrigin.REGISTERED_WITH_TOKEN)) {
            String id = "stored-" + origin.storedValue();
            as.stores.clients().save(exchanger(id, origin, Optional.of(Secrets.hash(OAuthDriver.CONFIGURED_SECRET)), List.of(REPORTS)));
            Client stored = new Client(id, Optional.of(OAuthDriver.CONFIGURED_SECRET), "https://" + id + ".example/cb");

            assertRefused(exchange(stored, subject, "audience", REPORTS), 400, "unauthorized_client");
            assertThatThrownBy(() -> as.server.tokenExchange().exchange(id, subject, REPORTS, Optional.empty()))
                    .isInstanceOfSatisfying(TokenExchangeException.class, e -> assertThat(e.error()).isEqualTo("unauthorized_client"));
        }

        assertThat(json(registration)).containsEntry("error", "invalid_client_metadata").doesNotContainKey("client_id");
        assertRefused(exchange(dynamic, subject, "audience", REPORTS), 400, "unauthorized_client");
    }

    @Test
    @Tag("attack")
    void a_revoked_subject_token_is_invalid_grant_and_revoking_its_family_revokes_the_exchanged_token() {
        Map<String, Object> subject = alice();
        Map<String, Object> exchanged = json(exchange(TOOLS, accessToken(subject)));
        String refreshToken = (String) subject.get("refresh_token");
        as.refresh(OAuthDriver.OPERATOR_CLIENT, refreshToken);
        as.refresh(OAuthDriver.OPERATOR_CLIENT, refreshToken); // reuse: the family is revoked

        assertRefused(exchange(TOOLS, accessToken(subject)), 400, "invalid_grant");
        assertThat(as.server.isRevoked(OAuthDriver.jti(exchanged))).isTrue();
        assertThat(json(as.introspect(OAuthDriver.RESOURCE_SERVER, accessToken(exchanged)))).containsEntry("active", false);
        assertRefused(exchange(REPORTS_API, accessToken(exchanged)), 400, "invalid_grant");
    }

    @Test
    @Tag("attack")
    void a_subject_token_revoked_by_itself_is_invalid_grant() {
        String subject = accessToken(alice());
        as.revoke(OAuthDriver.OPERATOR_CLIENT, subject);

        assertRefused(exchange(TOOLS, subject), 400, "invalid_grant");
    }

    @Test
    @Tag("attack")
    void an_expired_subject_token_is_invalid_grant() {
        String subject = accessToken(alice());
        as.clock.advance(Duration.ofMinutes(16));

        assertRefused(exchange(TOOLS, subject), 400, "invalid_grant");
        assertThatThrownBy(() -> as.server.tokenExchange().exchange(TOOLS.id(), subject, TICKETS, Optional.empty()))
                .isInstanceOfSatisfying(TokenExchangeException.class, e -> assertThat(e.error()).isEqualTo("invalid_grant"));
    }

    @Test
    @Tag("attack")
    void a_subject_token_of_another_issuer_or_signed_with_another_key_is_invalid_grant() throws Exception {
        AsSettings elsewhere = new AsSettings(URI.create("http://localhost:9100"), List.of(URI.create(OAuthDriver.RESOURCE)),
                List.of("mcp:read", "mcp:tools"), Duration.ofMinutes(15), Duration.ofDays(30), Duration.ofMinutes(1), true,
                Optional.empty(), false, false, false);
        String otherIssuers = accessToken(new OAuthDriver(elsewhere).tokens(OAuthDriver.OPERATOR_CLIENT));
        String genuine = accessToken(alice());
        SignedJWT parsed = SignedJWT.parse(genuine);
        RSAKey attackerKey = new RSAKeyGenerator(2048).keyID(parsed.getHeader().getKeyID()).generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(attackerKey.getKeyID())
                .type(new JOSEObjectType("at+jwt")).build(), new JWTClaimsSet.Builder(parsed.getJWTClaimsSet()).build());
        forged.sign(new RSASSASigner(attackerKey));

        assertRefused(exchange(TOOLS, otherIssuers), 400, "invalid_grant");
        assertRefused(exchange(TOOLS, forged.serialize()), 400, "invalid_grant");
        assertRefused(exchange(TOOLS, "not-a-jwt"), 400, "invalid_grant");
    }

    @Test
    @Tag("attack")
    void a_refresh_token_or_another_subject_token_type_is_invalid_request() {
        Map<String, Object> subject = alice();

        assertRefused(exchange(TOOLS, (String) subject.get("refresh_token"), "subject_token_type",
                "urn:ietf:params:oauth:token-type:refresh_token"), 400, "invalid_request");
        assertRefused(exchange(TOOLS, accessToken(subject), "subject_token_type", "urn:ietf:params:oauth:token-type:jwt"), 400,
                "invalid_request");
        assertRefused(exchange(TOOLS, (String) subject.get("refresh_token")), 400, "invalid_grant");
    }

    @Test
    @Tag("attack")
    void a_missing_subject_token_an_actor_token_or_another_requested_type_is_invalid_request() {
        String subject = accessToken(alice());

        assertRefused(exchange(TOOLS, subject, "subject_token", null), 400, "invalid_request");
        assertRefused(exchange(TOOLS, subject, "subject_token_type", null), 400, "invalid_request");
        assertRefused(exchange(TOOLS, subject, "actor_token", subject, "actor_token_type", ACCESS_TOKEN_TYPE), 400, "invalid_request");
        assertRefused(exchange(TOOLS, subject, "requested_token_type", "urn:ietf:params:oauth:token-type:refresh_token"), 400,
                "invalid_request");
        assertRefused(exchange(TOOLS, subject, "audience", null), 400, "invalid_request");
    }

    @Test
    @Tag("attack")
    void a_machines_own_client_credentials_token_is_not_a_users_and_is_invalid_grant() {
        String machineToken = accessToken(json(as.postForm(AuthorizationServer.TOKEN, params("grant_type", "client_credentials"),
                Map.of("Authorization", OAuthDriver.MACHINE.basic()), Optional.empty())));

        assertRefused(exchange(TOOLS, machineToken), 400, "invalid_grant");
    }

    @Test
    @Tag("attack")
    void a_machine_token_refused_for_exchange_keeps_working_for_the_machine() {
        String machineToken = accessToken(json(as.postForm(AuthorizationServer.TOKEN, params("grant_type", "client_credentials"),
                Map.of("Authorization", OAuthDriver.MACHINE.basic()), Optional.empty())));

        assertRefused(exchange(TOOLS, machineToken), 400, "invalid_grant");
        assertThat(json(as.introspect(OAuthDriver.RESOURCE_SERVER, machineToken))).containsEntry("active", true);
    }

    @Test
    @Tag("attack")
    void a_subject_token_whose_user_is_gone_is_invalid_grant_and_ends_their_grant_as_a_refresh_would() {
        Map<String, Object> subject = alice();
        // the same stores after a restart whose user directory no longer has alice (removed or disabled)
        OAuthDriver withoutAlice = new OAuthDriver(as.clock, as.stores, new AuthorizationServer(OAuthDriver.settings(true, Optional.empty()),
                as.stores, configured(), new io.gatehouse.as.users.UserDirectory(List.of(OAuthDriver.USERS.find("admin").orElseThrow())),
                as.clock, AsMetrics.unread()));

        AsResponse refused = withoutAlice.postForm(AuthorizationServer.TOKEN, params("grant_type", GRANT, "subject_token", accessToken(subject),
                "subject_token_type", ACCESS_TOKEN_TYPE, "audience", TICKETS), Map.of("Authorization", TOOLS.basic()), Optional.empty());

        assertRefused(refused, 400, "invalid_grant");
        assertThat(withoutAlice.server.isRevoked(OAuthDriver.jti(subject))).isTrue();
        assertThat(json(withoutAlice.introspect(OAuthDriver.RESOURCE_SERVER, accessToken(subject)))).containsEntry("active", false);
    }

    @Test
    @Tag("attack")
    void a_wrong_secret_is_invalid_client_and_nothing_is_counted() {
        AsResponse response = exchange(new Client(TOOLS.id(), Optional.of("not-the-secret"), TOOLS.redirectUri()), accessToken(alice()));

        assertRefused(response, 401, "invalid_client");
        assertThat(registry.get("gatehouse.as.tokens.issued").tag("grant_type", "token_exchange").counter().count()).isZero();
    }
}
