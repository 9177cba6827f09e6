package io.gatehouse.as.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.gatehouse.as.clients.ClientOrigin;
import io.gatehouse.as.clients.RegisteredClient;
import io.gatehouse.as.keys.KeyEncryptionKey;
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
        stores().consents().grant("carol", consented.clientId(), Set.of("mcp:read"));

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
                stores().consents().grant("carol", client.clientId(), Set.of(scope));
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
    void consents_accumulate_per_user_and_client() {
        String client = "c-" + UUID.randomUUID();
        stores().consents().grant("alice", client, Set.of("mcp:read"));
        stores().consents().grant("alice", client, Set.of("mcp:tools"));
        assertThat(stores().consents().granted("alice", client)).containsExactlyInAnyOrder("mcp:read", "mcp:tools");
        assertThat(stores().consents().granted("bob", client)).isEmpty();
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
}
