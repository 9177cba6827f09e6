package io.gatehouse.as.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.gatehouse.as.authorize.BrowserStateStore;
import io.gatehouse.as.authorize.LoginAttempts;
import io.gatehouse.as.clients.ClientOrigin;
import io.gatehouse.as.clients.Secrets;
import io.gatehouse.as.federation.UpstreamLoginStore;
import java.time.Duration;
import io.gatehouse.as.clients.RegisteredClient;
import io.gatehouse.as.keys.KeyEncryptionKey;
import io.gatehouse.as.keys.SigningKeys;
import io.gatehouse.as.token.AuthorizationCode;
import io.gatehouse.as.token.Grant;
import io.gatehouse.as.token.GrantStore;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What every implementation of the authorization server's stores must do; run against memory, H2 and a real
 * PostgreSQL by the subclasses.
 */
abstract class StoreContract {

    static final Instant LATER = Instant.now().plusSeconds(600);
    static final KeyEncryptionKey KEK = KeyEncryptionKey.generate();

    abstract AsStores stores();

    /** Small bounds, for the bound tests: about 50 of each. */
    static final StoreBounds SMALL = new StoreBounds(48 << 10, 50, 50, 50, 8);

    /** Stores over the same data as {@link #stores()} (the same database), bounded by {@link #SMALL}. */
    abstract AsStores small();

    static final Duration WINDOW = Duration.ofMinutes(5);

    static String id() {
        return Secrets.hash(UUID.randomUUID().toString());
    }

    @Test
    @Tag("issue-14")
    void a_session_is_found_by_its_id_hash_until_it_expires() {
        BrowserStateStore browsers = stores().browsers();
        String live = id();
        String expired = id();
        Instant now = Instant.now();
        browsers.putSession(live, "alice", now.plusSeconds(600));
        browsers.putSession(expired, "bob", now.minusSeconds(1));

        assertThat(browsers.session(live)).hasValueSatisfying(s -> {
            assertThat(s.username()).isEqualTo("alice");
            assertThat(s.expiresAt().toEpochMilli()).isEqualTo(now.plusSeconds(600).toEpochMilli());
        });
        assertThat(browsers.session(id())).isEmpty();
        browsers.deleteExpired(now);
        assertThat(browsers.session(expired)).isEmpty();
        assertThat(browsers.session(live)).isPresent();
    }

    @Test
    @Tag("issue-14")
    void a_pending_authorization_is_replaced_by_a_second_put_taken_once_and_dropped_when_expired() {
        BrowserStateStore browsers = stores().browsers();
        String pending = id();
        String expired = id();
        Instant now = Instant.now();
        browsers.putPending(pending, "{\"v\":1}", now.plusSeconds(600));
        browsers.putPending(pending, "{\"v\":2}", now.plusSeconds(600));
        browsers.putPending(expired, "{}", now.minusSeconds(1));

        assertThat(browsers.pending(pending)).contains("{\"v\":2}");
        browsers.deleteExpired(now);
        assertThat(browsers.pending(expired)).isEmpty();
        assertThat(browsers.takePending(pending)).isTrue();
        assertThat(browsers.takePending(pending)).isFalse();
        assertThat(browsers.pending(pending)).isEmpty();
    }

    @Test
    @Tag("issue-14")
    void of_concurrent_takes_of_one_pending_authorization_exactly_one_succeeds() throws Exception {
        BrowserStateStore browsers = stores().browsers();
        String pending = id();
        browsers.putPending(pending, "{}", LATER);
        List<Callable<Boolean>> takes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            takes.add(() -> browsers.takePending(pending));
        }
        int taken = 0;
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            for (Future<Boolean> done : threads.invokeAll(takes)) {
                taken += done.get() ? 1 : 0;
            }
        }
        assertThat(taken).isEqualTo(1);
    }

    @Test
    @Tag("issue-14")
    @Tag("SEC10-5")
    void pending_authorizations_sessions_and_throttle_keys_stay_bounded_and_the_newest_are_kept() {
        AsStores small = small();
        Instant start = Instant.now().plusSeconds(60);
        String newestPending = null;
        String newestSession = null;
        for (int i = 0; i < 400; i++) {
            newestPending = id();
            small.browsers().putPending(newestPending, "{\"state\":\"" + "s".repeat(300) + "\"}", start.plusMillis(i));
            newestSession = id();
            small.browsers().putSession(newestSession, "user" + i, start.plusMillis(i));
            small.loginAttempts().tryReserve(id(), 5, start.plusMillis(i), WINDOW);
        }

        BrowserStateStore.Held held = small.browsers().held();
        assertThat(held.pending()).isLessThanOrEqualTo(SMALL.pendingRows() + SMALL.checkEvery());
        assertThat(held.sessions()).isLessThanOrEqualTo(SMALL.sessions() + SMALL.checkEvery());
        assertThat(small.loginAttempts().tracked()).isLessThanOrEqualTo(SMALL.loginKeys() + SMALL.checkEvery());
        if (evictsOldestFirst()) {
            assertThat(small.browsers().pending(newestPending)).isPresent();
            assertThat(small.browsers().session(newestSession)).isPresent();
        }
    }

    /** Whether the bounded stores evict the oldest first (a database does; memory evicts the least valuable, by Caffeine's policy). */
    boolean evictsOldestFirst() {
        return true;
    }

    @Test
    @Tag("attack")
    void whether_a_key_is_at_its_limit_is_read_without_adding_a_row() {
        LoginAttempts attempts = stores().loginAttempts();
        String key = id();
        Instant t0 = Instant.now();
        long tracked = attempts.tracked();
        assertThat(attempts.atLimit(key, 2, t0, WINDOW)).as("unknown key").isFalse();
        assertThat(attempts.tracked()).isEqualTo(tracked);

        attempts.tryReserve(key, 2, t0, WINDOW);
        assertThat(attempts.atLimit(key, 2, t0.plusSeconds(1), WINDOW)).isFalse();
        attempts.tryReserve(key, 2, t0.plusSeconds(1), WINDOW);
        assertThat(attempts.atLimit(key, 2, t0.plusSeconds(2), WINDOW)).isTrue();
        assertThat(attempts.atLimit(key, 2, t0.plus(WINDOW), WINDOW)).as("the window has ended").isFalse();
    }

    @Test
    @Tag("issue-14")
    @Tag("SEC10-9")
    void the_throttle_admits_the_limit_per_window_and_a_new_window_after_it() {
        LoginAttempts attempts = stores().loginAttempts();
        String key = id();
        Instant t0 = Instant.now();
        for (int i = 0; i < 5; i++) {
            assertThat(attempts.tryReserve(key, 5, t0.plusSeconds(i), WINDOW)).as("attempt %d", i).isTrue();
        }
        assertThat(attempts.tryReserve(key, 5, t0.plusSeconds(10), WINDOW)).isFalse();
        attempts.release(key);
        assertThat(attempts.tryReserve(key, 5, t0.plusSeconds(11), WINDOW)).isTrue();
        assertThat(attempts.tryReserve(key, 5, t0.plusSeconds(12), WINDOW)).isFalse();

        assertThat(attempts.tryReserve(key, 5, t0.plus(WINDOW), WINDOW)).as("a new window").isTrue();
        assertThat(attempts.tryReserve(id(), 5, t0, WINDOW)).as("another key").isTrue();

        attempts.forget(key);
        for (int i = 0; i < 5; i++) {
            assertThat(attempts.tryReserve(key, 5, t0.plus(WINDOW), WINDOW)).isTrue();
        }
    }

    @Test
    @Tag("issue-14")
    void ended_throttle_windows_are_deleted() {
        LoginAttempts attempts = stores().loginAttempts();
        String key = id();
        Instant t0 = Instant.now().minus(Duration.ofHours(1));
        attempts.tryReserve(key, 5, t0, WINDOW);
        long before = attempts.tracked();

        attempts.deleteExpired(t0.plus(WINDOW).plusMillis(1), WINDOW);

        assertThat(attempts.tracked()).isLessThan(before);
    }

    @Test
    @Tag("issue-14")
    @Tag("SEC10-9")
    void concurrent_reservations_of_one_key_admit_exactly_the_limit() throws Exception {
        LoginAttempts attempts = stores().loginAttempts();
        String key = id();
        Instant now = Instant.now();
        List<Callable<Boolean>> tries = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            tries.add(() -> attempts.tryReserve(key, 5, now, WINDOW));
        }
        int admitted = 0;
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            for (Future<Boolean> done : threads.invokeAll(tries)) {
                admitted += done.get() ? 1 : 0;
            }
        }
        assertThat(admitted).isEqualTo(5);
    }

    static Grant grant() {
        return new Grant(UUID.randomUUID().toString(), "client-1", "alice", "alice", Set.of("user"),
                Set.of("mcp:read", "mcp:tools"), URI.create("http://localhost:9000/mcp"), Instant.ofEpochMilli(1_700_000_123_456L));
    }

    @Test
    void a_saved_client_is_found_with_every_field() {
        RegisteredClient client = new RegisteredClient("c-" + UUID.randomUUID(), Optional.of("hash"), "Client",
                List.of(URI.create("http://127.0.0.1/cb"), URI.create("https://app.example/cb")),
                Set.of("authorization_code", "refresh_token"), "client_secret_basic", "native", Set.of("mcp:read"),
                Instant.ofEpochMilli(1_700_000_000_000L), ClientOrigin.REGISTERED_WITH_TOKEN, true);
        stores().clients().save(client);
        assertThat(stores().clients().find(client.clientId())).contains(client);
        assertThat(stores().clients().find("nobody")).isEmpty();
        RegisteredClient changed = new RegisteredClient(client.clientId(), Optional.empty(), "Client", client.redirectUris(),
                Set.of("authorization_code"), "none", "web", Set.of(RegisteredClient.ANY_SCOPE), client.registeredAt(),
                ClientOrigin.CONFIGURED, false);
        stores().clients().save(changed);
        assertThat(stores().clients().find(client.clientId())).contains(changed);
    }

    @Test
    @org.junit.jupiter.api.Tag("SEC10-5")
    void only_old_self_registered_clients_nobody_consented_to_are_removed() {
        Instant now = Instant.ofEpochMilli(1_800_000_000_000L);
        String run = UUID.randomUUID().toString();
        RegisteredClient unused = selfRegistered("unused-" + run, now.minusSeconds(90_000), ClientOrigin.SELF_REGISTERED);
        RegisteredClient consented = selfRegistered("consented-" + run, now.minusSeconds(90_000), ClientOrigin.SELF_REGISTERED);
        RegisteredClient recent = selfRegistered("recent-" + run, now.minusSeconds(60), ClientOrigin.SELF_REGISTERED);
        RegisteredClient operators = selfRegistered("operators-" + run, now.minusSeconds(90_000), ClientOrigin.REGISTERED_WITH_TOKEN);
        for (RegisteredClient client : List.of(unused, consented, recent, operators)) {
            stores().clients().save(client);
        }
        stores().consents().grant("carol", consented.clientId(), Set.of("mcp:read"), now);

        stores().clients().removeUnusedSelfRegistered(now.minusSeconds(86_400));

        assertThat(stores().clients().find(unused.clientId())).isEmpty();
        for (RegisteredClient kept : List.of(consented, recent, operators)) {
            assertThat(stores().clients().find(kept.clientId())).as(kept.clientId()).contains(kept);
        }
    }

    private static RegisteredClient selfRegistered(String id, Instant at, ClientOrigin origin) {
        return new RegisteredClient(id, Optional.empty(), "Client", List.of(URI.create("http://127.0.0.1/cb")),
                Set.of("authorization_code"), "none", "native", Set.of(RegisteredClient.ANY_SCOPE), at, origin, false);
    }

    @Test
    void a_code_can_be_taken_once_and_then_names_its_family() {
        GrantStore grants = stores().grants();
        Grant grant = grant();
        String hash = "code-" + UUID.randomUUID();
        AuthorizationCode code = new AuthorizationCode(grant, URI.create("http://127.0.0.1/cb"), false, "challenge", LATER);
        grants.putCode(hash, code);
        Optional<AuthorizationCode> first = grants.takeCode(hash);
        assertThat(first).hasValueSatisfying(c -> assertThat(c.grant()).isEqualTo(grant));
        assertThat(first.get().redirectUriInRequest()).isFalse();
        assertThat(grants.takeCode(hash)).isEmpty();
        assertThat(grants.usedCodeFamily(hash)).contains(grant.familyId());
    }

    @Test
    void a_refresh_token_is_spent_once() {
        GrantStore grants = stores().grants();
        Grant grant = grant();
        String hash = "refresh-" + UUID.randomUUID();
        grants.putRefreshToken(hash, grant, LATER);
        assertThat(grants.refreshToken(hash)).hasValueSatisfying(r -> assertThat(r.grant()).isEqualTo(grant));
        assertThat(grants.refreshToken(hash).get().grant().startedAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_123_456L));
        assertThat(grants.spendRefreshToken(hash)).isTrue();
        assertThat(grants.spendRefreshToken(hash)).isFalse();
        assertThat(grants.refreshToken(hash)).hasValueSatisfying(r -> assertThat(r.used()).isTrue());
    }

    @Test
    void revoking_a_family_revokes_its_access_tokens_only() {
        GrantStore grants = stores().grants();
        Grant a = grant();
        Grant b = grant();
        grants.recordAccessToken(a.familyId(), "jti-a-" + a.familyId(), LATER);
        grants.recordAccessToken(b.familyId(), "jti-b-" + b.familyId(), LATER);
        grants.revokeFamily(a.familyId(), LATER);
        assertThat(grants.isFamilyRevoked(a.familyId())).isTrue();
        assertThat(grants.isAccessTokenRevoked("jti-a-" + a.familyId())).isTrue();
        assertThat(grants.isAccessTokenRevoked("jti-b-" + b.familyId())).isFalse();
        grants.revokeAccessToken("jti-b-" + b.familyId(), LATER);
        assertThat(grants.isAccessTokenRevoked("jti-b-" + b.familyId())).isTrue();
    }

    @Test
    @Tag("RFC8693")
    @Tag("issue-17")
    void an_access_tokens_family_is_found_by_its_id_so_an_exchanged_token_joins_it() {
        GrantStore grants = stores().grants();
        Grant grant = grant();
        grants.recordAccessToken(grant.familyId(), "jti-f-" + grant.familyId(), LATER);
        grants.revokeAccessToken("jti-alone-" + grant.familyId(), LATER);

        assertThat(grants.accessTokenFamily("jti-f-" + grant.familyId())).contains(grant.familyId());
        assertThat(grants.accessTokenFamily("jti-unknown-" + grant.familyId())).isEmpty();
        assertThat(grants.accessTokenFamily("jti-alone-" + grant.familyId())).isEmpty();
    }

    @Test
    @Tag("SEC19-8")
    void concurrent_revocations_of_one_family_all_succeed_and_revoke_it() throws Exception {
        GrantStore grants = stores().grants();
        Grant grant = grant();
        grants.recordAccessToken(grant.familyId(), "jti-r-" + grant.familyId(), LATER);
        List<Callable<Void>> revocations = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            revocations.add(() -> {
                grants.revokeFamily(grant.familyId(), LATER);
                grants.revokeAccessToken("jti-unknown-" + grant.familyId(), LATER);
                return null;
            });
        }
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            for (Future<Void> done : threads.invokeAll(revocations)) {
                done.get();
            }
        }
        assertThat(grants.isFamilyRevoked(grant.familyId())).isTrue();
        assertThat(grants.isAccessTokenRevoked("jti-r-" + grant.familyId())).isTrue();
        assertThat(grants.isAccessTokenRevoked("jti-unknown-" + grant.familyId())).isTrue();
    }

    @Test
    @Tag("SEC19-8")
    void an_access_token_recorded_after_its_family_was_revoked_is_revoked() {
        GrantStore grants = stores().grants();
        Grant grant = grant();
        grants.revokeFamily(grant.familyId(), LATER);
        grants.recordAccessToken(grant.familyId(), "jti-late-" + grant.familyId(), LATER);
        assertThat(grants.isAccessTokenRevoked("jti-late-" + grant.familyId())).isTrue();
    }

    @Test
    void concurrent_saves_of_one_client_and_one_consent_all_succeed() throws Exception {
        RegisteredClient client = new RegisteredClient("c-" + UUID.randomUUID(), Optional.empty(), "Client",
                List.of(URI.create("http://127.0.0.1/cb")), Set.of("authorization_code"), "none", "native", Set.of(), Instant.now(),
                io.gatehouse.as.clients.ClientOrigin.SELF_REGISTERED, false);
        List<Callable<Void>> saves = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String scope = "s" + i;
            saves.add(() -> {
                stores().clients().save(client);
                stores().consents().grant("carol", client.clientId(), Set.of(scope), Instant.now());
                return null;
            });
        }
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            for (Future<Void> done : threads.invokeAll(saves)) {
                done.get();
            }
        }
        assertThat(stores().clients().find(client.clientId())).isPresent();
        assertThat(stores().consents().granted("carol", client.clientId())).isNotEmpty();
    }

    @Test
    void expired_state_is_deleted() {
        GrantStore grants = stores().grants();
        String hash = "old-" + UUID.randomUUID();
        Instant past = Instant.now().minusSeconds(10);
        grants.putRefreshToken(hash, grant(), past);
        grants.deleteExpired(Instant.now());
        assertThat(grants.refreshToken(hash)).isEmpty();
    }

    @Test
    @Tag("issue-15")
    void a_users_consents_are_listed_newest_first_with_their_time_and_revoked_one_by_one() {
        String user = "u-" + UUID.randomUUID();
        String older = "older-" + UUID.randomUUID();
        String newer = "newer-" + UUID.randomUUID();
        Instant t1 = Instant.ofEpochMilli(1_800_000_000_000L);
        Instant t2 = t1.plusSeconds(60);
        stores().consents().grant(user, older, Set.of("mcp:read"), t1);
        stores().consents().grant(user, newer, Set.of("mcp:tools"), t1);
        stores().consents().grant(user, newer, Set.of("mcp:read"), t2);
        stores().consents().grant("other-" + user, older, Set.of("mcp:read"), t2);

        assertThat(stores().consents().consentsOf(user)).containsExactly(
                new io.gatehouse.as.authorize.ConsentStore.Consent(newer, Set.of("mcp:read", "mcp:tools"), t2),
                new io.gatehouse.as.authorize.ConsentStore.Consent(older, Set.of("mcp:read"), t1));

        assertThat(stores().consents().revoke(user, older)).isTrue();
        assertThat(stores().consents().revoke(user, older)).isFalse();
        assertThat(stores().consents().granted(user, older)).isEmpty();
        assertThat(stores().consents().consentsOf(user)).extracting(io.gatehouse.as.authorize.ConsentStore.Consent::clientId)
                .containsExactly(newer);
        // another user's consent to the same client stays
        assertThat(stores().consents().granted("other-" + user, older)).containsExactly("mcp:read");
        assertThat(stores().consents().consentsOf("nobody-" + user)).isEmpty();
    }

    @Test
    @Tag("issue-15")
    void the_families_a_user_holds_through_a_client_are_found_by_refresh_tokens_and_codes() {
        GrantStore grants = stores().grants();
        String user = "u-" + UUID.randomUUID();
        Grant viaRefresh = new Grant("f-" + UUID.randomUUID(), "client-x", user, user, Set.of(), Set.of("mcp:read"),
                URI.create("http://localhost:9000/mcp"), Instant.now());
        Grant viaCode = new Grant("f-" + UUID.randomUUID(), "client-x", user, user, Set.of(), Set.of("mcp:read"),
                URI.create("http://localhost:9000/mcp"), Instant.now());
        Grant otherClient = new Grant("f-" + UUID.randomUUID(), "client-y", user, user, Set.of(), Set.of(),
                URI.create("http://localhost:9000/mcp"), Instant.now());
        Grant otherUser = new Grant("f-" + UUID.randomUUID(), "client-x", "other-" + user, "other-" + user, Set.of(), Set.of(),
                URI.create("http://localhost:9000/mcp"), Instant.now());
        grants.putRefreshToken("rt-" + UUID.randomUUID(), viaRefresh, LATER);
        grants.putRefreshToken("rt-" + UUID.randomUUID(), viaRefresh, LATER);
        grants.putCode("code-" + UUID.randomUUID(), new AuthorizationCode(viaCode, URI.create("http://127.0.0.1/cb"), false, "challenge", LATER));
        grants.putRefreshToken("rt-" + UUID.randomUUID(), otherClient, LATER);
        grants.putRefreshToken("rt-" + UUID.randomUUID(), otherUser, LATER);

        assertThat(grants.familiesOf(user, "client-x")).containsExactlyInAnyOrder(viaRefresh.familyId(), viaCode.familyId());
        assertThat(grants.familiesOf(user, "client-z")).isEmpty();
    }

    @Test
    void consents_accumulate_per_user_and_client() {
        String client = "c-" + UUID.randomUUID();
        stores().consents().grant("alice", client, Set.of("mcp:read"), Instant.now());
        stores().consents().grant("alice", client, Set.of("mcp:tools"), Instant.now());
        assertThat(stores().consents().granted("alice", client)).containsExactlyInAnyOrder("mcp:read", "mcp:tools");
        assertThat(stores().consents().granted("bob", client)).isEmpty();
    }

    @Test
    @Tag("issue-14")
    @Tag("AS-02")
    void signing_keys_rotated_at_the_same_moment_through_the_lock_leave_one_current_key() throws Exception {
        io.gatehouse.testkit.MutableClock clock = new io.gatehouse.testkit.MutableClock(Instant.now());
        SigningKeys one = new SigningKeys(stores().keys(), clock, Duration.ofMinutes(15));
        SigningKeys other = new SigningKeys(stores().keys(), clock, Duration.ofMinutes(15));
        for (int round = 0; round < 3; round++) {
            clock.advance(Duration.ofHours(2));
            List<Callable<Boolean>> rotations = List.of(() -> one.rotateIfOlderThan(Duration.ofHours(1)),
                    () -> other.rotateIfOlderThan(Duration.ofHours(1)));
            int rotated = 0;
            try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
                for (Future<Boolean> done : threads.invokeAll(rotations)) {
                    rotated += done.get() ? 1 : 0;
                }
            }
            assertThat(rotated).as("round %d", round).isEqualTo(1);
            assertThat(stores().keys().load()).filteredOn(k -> k.getExpirationTime() == null).hasSize(1)
                    .extracting(JWK::getKeyID).containsExactly(one.current().getKeyID());
        }
    }

    @Test
    void signing_keys_are_saved_and_replaced_together() throws Exception {
        JWK first = new RSAKeyGenerator(2048).keyID("k1").algorithm(JWSAlgorithm.RS256).generate();
        JWK second = new RSAKeyGenerator(2048).keyID("k2").algorithm(JWSAlgorithm.RS256).generate();
        stores().keys().save(List.of(first));
        stores().keys().save(List.of(first, second));
        assertThat(stores().keys().load()).extracting(JWK::getKeyID).containsExactly("k1", "k2");
        assertThat(stores().keys().load().get(1).isPrivate()).isTrue();
    }

    // ---------------------------------------------------------------- federated login (issue 18)

    @Test
    @Tag("issue-18")
    void a_started_sign_in_at_the_provider_is_taken_once_and_dropped_when_expired() throws Exception {
        UpstreamLoginStore upstream = stores().upstreamLogins();
        String state = id();
        String expired = id();
        upstream.putStarted(state, new UpstreamLoginStore.StartedLogin(id(), id(), LATER));
        upstream.putStarted(expired, new UpstreamLoginStore.StartedLogin(id(), id(), Instant.now().minusSeconds(1)));
        List<Callable<Boolean>> takes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            takes.add(() -> upstream.takeStarted(state).isPresent());
        }
        int taken = 0;
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            for (Future<Boolean> done : threads.invokeAll(takes)) {
                taken += done.get() ? 1 : 0;
            }
        }
        assertThat(taken).isEqualTo(1);
        upstream.deleteExpired(Instant.now());
        assertThat(upstream.takeStarted(expired)).isEmpty();
    }

    @Test
    @Tag("issue-18")
    @Tag("SEC10-5")
    void started_sign_ins_stay_bounded_and_the_newest_are_kept() {
        AsStores small = small();
        Instant start = Instant.now().plusSeconds(60);
        String newest = null;
        for (int i = 0; i < 300; i++) {
            newest = id();
            small.upstreamLogins().putStarted(newest, new UpstreamLoginStore.StartedLogin(id(), id(), start.plusMillis(i)));
        }
        small.upstreamLogins().deleteExpired(Instant.now());
        assertThat(small.upstreamLogins().startedHeld()).isLessThanOrEqualTo(SMALL.pendingRows() + SMALL.checkEvery());
        assertThat(small.upstreamLogins().takeStarted(newest)).isPresent();
    }

    @Test
    @Tag("issue-18")
    void a_login_is_found_by_its_session_and_its_families_and_forgotten_with_them() {
        UpstreamLoginStore upstream = stores().upstreamLogins();
        String session = id();
        String loginId = UUID.randomUUID().toString();
        Instant checked = Instant.ofEpochMilli(Instant.now().toEpochMilli());
        upstream.putLogin(session, new UpstreamLoginStore.Login(loginId, "sub-1", "alice", Set.of("mcp-user", "dev"), Set.of("mcp:read"),
                Optional.of("upstream-refresh-1"), Optional.of("id.token.text"), checked, LATER));
        String family = UUID.randomUUID().toString();
        upstream.linkFamily(family, loginId);

        assertThat(upstream.loginOfSession(session)).hasValueSatisfying(l -> {
            assertThat(l.subject()).isEqualTo("sub-1");
            assertThat(l.username()).isEqualTo("alice");
            assertThat(l.roles()).containsExactlyInAnyOrder("mcp-user", "dev");
            assertThat(l.refreshToken()).contains("upstream-refresh-1");
            assertThat(l.idToken()).contains("id.token.text");
            assertThat(l.checkedAt()).isEqualTo(checked);
        });
        upstream.checked(loginId, Optional.of("upstream-refresh-2"), checked.plusSeconds(60));
        assertThat(upstream.loginOfFamily(family)).hasValueSatisfying(l -> {
            assertThat(l.refreshToken()).contains("upstream-refresh-2");
            assertThat(l.checkedAt()).isEqualTo(checked.plusSeconds(60));
        });
        upstream.rolesChanged(loginId, Set.of("viewer"), Set.of("mcp:read"));
        assertThat(upstream.loginOfSession(session)).hasValueSatisfying(l -> {
            assertThat(l.roles()).containsExactly("viewer");
            assertThat(l.allowedScopes()).containsExactly("mcp:read");
            assertThat(l.refreshToken()).contains("upstream-refresh-2");
        });
        assertThat(upstream.familiesOfLogin(loginId)).containsExactly(family);
        upstream.deleteLogin(loginId);
        assertThat(upstream.loginOfSession(session)).isEmpty();
        assertThat(upstream.loginOfFamily(family)).isEmpty();
    }
}
