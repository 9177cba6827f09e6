package io.gatehouse.as;

import static io.gatehouse.as.OAuthDriver.accessToken;
import static io.gatehouse.as.OAuthDriver.body;
import static io.gatehouse.as.OAuthDriver.callback;
import static io.gatehouse.as.OAuthDriver.hidden;
import static io.gatehouse.as.OAuthDriver.json;
import static io.gatehouse.as.OAuthDriver.jwtHeader;
import static io.gatehouse.as.OAuthDriver.sessionCookie;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import io.gatehouse.as.OAuthDriver.Authorization;
import io.gatehouse.as.OAuthDriver.Client;
import io.gatehouse.as.clients.Secrets;
import io.gatehouse.as.keys.KeyEncryptionKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import io.gatehouse.as.keys.SigningKeys;
import io.gatehouse.as.store.JdbcStores;
import io.gatehouse.as.web.AsResponse;
import io.gatehouse.testkit.MutableClock;
import io.gatehouse.testkit.PostgresServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two authorization server nodes, each with its own connection pool, on one real PostgreSQL: whatever one node
 * keeps, the other finds, and what must happen once happens once between them (issue 14, points 1 and 2).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("issue-14")
@Tag("postgresql")
class TwoNodesTest {

    static final int RACES = 200;
    static final KeyEncryptionKey KEK = KeyEncryptionKey.generate();

    static PostgresServer postgres;
    static String url;
    static JdbcStores databaseA;
    static JdbcStores databaseB;
    static MutableClock clock;
    static OAuthDriver a;
    static OAuthDriver b;

    @BeforeAll
    static void start() throws Exception {
        postgres = PostgresServer.start();
        url = postgres.createDatabase("two_nodes");
        databaseA = JdbcStores.open(url, Optional.empty(), Optional.empty(), KEK);
        databaseB = JdbcStores.open(url, Optional.empty(), Optional.empty(), KEK);
        clock = new MutableClock(Instant.now());
        AsSettings settings = OAuthDriver.settings(true, Optional.empty());
        a = new OAuthDriver(settings, clock, databaseA.stores(), OAuthDriver.USERS);
        b = new OAuthDriver(settings, clock, databaseB.stores(), OAuthDriver.USERS);
    }

    @AfterAll
    static void stop() throws Exception {
        databaseA.close();
        databaseB.close();
        postgres.close();
    }

    @Test
    void a_browser_may_go_from_node_to_node_at_every_step_of_the_login_and_consent() {
        Client client = a.registerPublic();
        OAuthDriver.Start start = a.start(client);
        assertThat(start.response().status()).isEqualTo(200);

        AsResponse consentPage = b.login(start.response(), "alice", OAuthDriver.ALICE_PASSWORD);
        assertThat(consentPage.status()).as("the request parked on A is found on B: " + body(consentPage)).isEqualTo(200);
        Optional<String> session = sessionCookie(consentPage);
        assertThat(session).isPresent();

        AsResponse approved = a.consent(consentPage, session, "approve");
        assertThat(approved.status()).as("the session and CSRF token made on B are valid on A: " + body(approved)).isEqualTo(302);
        assertThat(a.consent(consentPage, session, "approve").status()).as("the form answered once").isEqualTo(400);

        AsResponse again = b.start(client, session).response();
        assertThat(again.status()).as("B knows the session and the consent given on A").isEqualTo(302);
        Authorization authorization = new Authorization(client, callback(approved).get("code"), start.verifier(),
                start.params().get("redirect_uri"), callback(approved), session);
        AsResponse tokens = b.exchange(authorization);
        assertThat(tokens.status()).as(body(tokens)).isEqualTo(200);
    }

    @Test
    @Tag("attack")
    void the_database_holds_no_session_cookie_pending_id_or_csrf_token_only_hashes_of_the_ids() throws Exception {
        Client client = a.registerPublic();
        AsResponse loginPage = a.start(client).response();
        String pendingId = hidden(loginPage, "request");
        AsResponse consentPage = b.login(loginPage, "alice", OAuthDriver.ALICE_PASSWORD);
        String cookie = sessionCookie(consentPage).orElseThrow();
        String csrf = hidden(consentPage, "csrf");

        String stored = dump("SELECT id_hash, username, expires_at FROM gh_browser_sessions")
                + dump("SELECT id_hash, payload, expires_at FROM gh_pending_authorizations");

        assertThat(stored).doesNotContain(cookie).doesNotContain(pendingId).doesNotContain(csrf)
                .contains(Secrets.hash(cookie)).contains(Secrets.hash(pendingId));
    }

    @Test
    void the_request_state_secret_is_made_once_and_the_same_on_every_node_and_stored_sealed() throws Exception {
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            List<byte[]> made = both(threads, () -> databaseA.sharedSecret("test-secret"), () -> databaseB.sharedSecret("test-secret"));

            assertThat(made.get(0)).hasSize(32).isEqualTo(made.get(1));
            assertThat(databaseB.sharedSecret("test-secret")).isEqualTo(made.get(0));
            assertThat(databaseA.sharedSecret("other-secret")).isNotEqualTo(made.get(0));
            String stored = dump("SELECT secret_name, sealed FROM gh_secrets");
            assertThat(stored).doesNotContain(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(made.get(0)))
                    .doesNotContain(java.util.Base64.getEncoder().encodeToString(made.get(0)));
        }
    }

    /** Every value of every row a query answers, as text. */
    private static String dump(String query) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    out.append(rs.getString(i)).append('\n');
                }
            }
        }
        return out.toString();
    }

    @Test
    @Tag("SEC10-9")
    void login_failures_on_one_node_count_on_the_other() {
        Client client = a.registerPublic();
        AsResponse loginPage = a.start(client).response();
        for (int i = 0; i < 5; i++) {
            OAuthDriver node = i % 2 == 0 ? a : b;
            AsResponse failed = node.login(loginPage, "guest", "wrong-" + i);
            assertThat(failed.status()).as("attempt %d", i).isEqualTo(401);
        }

        assertThat(b.login(loginPage, "guest", OAuthDriver.ALICE_PASSWORD).status()).isEqualTo(429);
        assertThat(a.login(loginPage, "guest", OAuthDriver.ALICE_PASSWORD).status()).isEqualTo(429);
    }

    @Test
    @Tag("AS-01")
    void the_same_code_sent_to_both_nodes_at_once_gives_exactly_one_token_every_time() throws Exception {
        Client client = a.registerPublic();
        Authorization first = a.authorize(client);
        assertThat(a.exchange(first).status()).isEqualTo(200);
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            for (int race = 0; race < RACES; race++) {
                Authorization authorization = code(a, client, first.session());
                List<AsResponse> answers = both(threads, () -> a.exchange(authorization), () -> b.exchange(authorization));
                assertThat(answers).as("race %d", race).filteredOn(r -> r.status() == 200).hasSize(1);
                assertThat(answers).as("race %d", race).filteredOn(r -> r.status() == 400)
                        .allSatisfy(r -> assertThat(json(r).get("error")).isEqualTo("invalid_grant")).hasSize(1);
            }
        }
    }

    @Test
    @Tag("AS-12")
    void the_same_refresh_token_sent_to_both_nodes_at_once_succeeds_at_most_once_and_revokes_the_family() throws Exception {
        Client client = a.registerPublic();
        Authorization first = a.authorize(client);
        assertThat(a.exchange(first).status()).isEqualTo(200);
        int won = 0;
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            for (int race = 0; race < RACES; race++) {
                AsResponse issued = b.exchange(code(a, client, first.session()));
                String refreshToken = (String) json(issued).get("refresh_token");
                String accessToken = accessToken(json(issued));
                List<AsResponse> answers = both(threads, () -> a.refresh(client, refreshToken), () -> b.refresh(client, refreshToken));

                List<AsResponse> winners = answers.stream().filter(r -> r.status() == 200).toList();
                assertThat(winners).as("race %d", race).hasSizeLessThanOrEqualTo(1);
                won += winners.size();
                assertThat(a.introspect(OAuthDriver.RESOURCE_SERVER, accessToken)).extracting(r -> json(r).get("active"))
                        .as("race %d: the family's access token is revoked", race).isEqualTo(false);
                for (AsResponse winner : winners) {
                    String next = (String) json(winner).get("refresh_token");
                    assertThat(b.refresh(client, next).status()).as("race %d: the winner's refresh token is revoked", race).isEqualTo(400);
                    assertThat(b.introspect(OAuthDriver.RESOURCE_SERVER, accessToken(json(winner)))).extracting(r -> json(r).get("active"))
                            .as("race %d: the winner's access token is revoked", race).isEqualTo(false);
                }
            }
        }
        assertThat(won).as("some races had a winner (the test raced, not just failed)").isPositive();
    }

    @Test
    @Tag("AS-02")
    void a_key_rotated_on_one_node_is_used_and_accepted_by_the_other_without_a_restart() {
        Client client = a.registerPublic();
        Map<String, Object> before = b.tokens(client);
        String oldKid = (String) jwtHeader(accessToken(before)).get("kid");

        String newKid = a.server.rotateKeys();
        Map<String, Object> signedByA = a.tokens(client);
        assertThat(jwtHeader(accessToken(signedByA)).get("kid")).isEqualTo(newKid).isNotEqualTo(oldKid);
        assertThat(json(b.introspect(OAuthDriver.RESOURCE_SERVER, accessToken(signedByA))).get("active"))
                .as("B verifies a token signed with a key it had not loaded").isEqualTo(true);

        clock.advance(SigningKeys.RELOAD_INTERVAL.plusSeconds(1));
        assertThat(b.server.publicKeys().getKeys()).extracting(JWK::getKeyID).contains(oldKid, newKid);
        assertThat(jwtHeader(accessToken(b.tokens(client))).get("kid")).as("B signs with the new key").isEqualTo(newKid);
        assertThat(json(b.introspect(OAuthDriver.RESOURCE_SERVER, accessToken(before))).get("active"))
                .as("a token signed with the old key still verifies").isEqualTo(true);
        assertThat(json(a.introspect(OAuthDriver.RESOURCE_SERVER, accessToken(before))).get("active")).isEqualTo(true);
    }

    @Test
    @Tag("AS-02")
    void nodes_rotating_at_the_same_moment_leave_exactly_one_new_current_key() throws Exception {
        SigningKeys keysA = new SigningKeys(databaseA.stores().keys(), clock, Duration.ofMinutes(15));
        SigningKeys keysB = new SigningKeys(databaseB.stores().keys(), clock, Duration.ofMinutes(15));
        Duration lifetime = Duration.ofHours(1);
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            for (int round = 0; round < 15; round++) {
                clock.advance(lifetime.plusMinutes(1));
                List<Boolean> rotated = both(threads, () -> keysA.rotateIfOlderThan(lifetime), () -> keysB.rotateIfOlderThan(lifetime));

                assertThat(rotated).as("round %d", round).containsExactlyInAnyOrder(true, false);
                List<JWK> stored = databaseA.stores().keys().load();
                assertThat(stored).as("round %d: one key without an end", round).filteredOn(k -> k.getExpirationTime() == null).hasSize(1);
                String current = stored.stream().filter(k -> k.getExpirationTime() == null).findFirst().orElseThrow().getKeyID();
                assertThat(keysA.current().getKeyID()).as("round %d", round).isEqualTo(current);
                assertThat(keysB.current().getKeyID()).as("round %d", round).isEqualTo(current);
            }
        }
    }

    /** A new code for the signed-in browser (consent already given, so no password and no page). */
    private static Authorization code(OAuthDriver node, Client client, Optional<String> session) {
        OAuthDriver.Start start = node.start(client, session);
        assertThat(start.response().status()).as(body(start.response())).isEqualTo(302);
        return new Authorization(client, callback(start.response()).get("code"), start.verifier(), start.params().get("redirect_uri"),
                callback(start.response()), session);
    }

    /** Runs both at the same moment, as far as two threads can. */
    private static <T> List<T> both(ExecutorService threads, Supplier<T> one, Supplier<T> other) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        Future<T> first = threads.submit(() -> {
            go.await(10, TimeUnit.SECONDS);
            return one.get();
        });
        Future<T> second = threads.submit(() -> {
            go.await(10, TimeUnit.SECONDS);
            return other.get();
        });
        go.countDown();
        return List.of(first.get(30, TimeUnit.SECONDS), second.get(30, TimeUnit.SECONDS));
    }
}
