package io.gatehouse.as.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.gatehouse.as.keys.KeyEncryptionKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;

import io.gatehouse.as.clients.ClientOrigin;
import io.gatehouse.as.clients.Secrets;
import io.gatehouse.as.clients.RegisteredClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The store contract on H2 in a file, the default database, including reopening it. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class H2StoresTest extends StoreContract {

    static Path dir;
    static JdbcStores database;

    @BeforeAll
    static void open() throws Exception {
        dir = Files.createTempDirectory("gatehouse-h2");
        database = JdbcStores.open(JdbcStores.h2Url(dir), Optional.empty(), Optional.empty(), KEK);
        small = JdbcStores.open(JdbcStores.h2Url(dir), Optional.empty(), Optional.empty(), KEK, SMALL);
    }

    static JdbcStores small;

    @AfterAll
    static void close() {
        small.close();
        database.close();
    }

    @Override
    AsStores small() {
        return small.stores();
    }

    @Override
    AsStores stores() {
        return database.stores();
    }

    @Test
    void what_was_stored_is_still_there_after_reopening_the_database() {
        var client = new io.gatehouse.as.clients.RegisteredClient("persistent", Optional.empty(), "Persistent",
                java.util.List.of(java.net.URI.create("http://127.0.0.1/cb")), java.util.Set.of("authorization_code"), "none",
                "native", java.util.Set.of(), java.time.Instant.ofEpochMilli(1), io.gatehouse.as.clients.ClientOrigin.SELF_REGISTERED, false);
        database.stores().clients().save(client);
        database.close();
        database = JdbcStores.open(JdbcStores.h2Url(dir), Optional.empty(), Optional.empty(), KEK);
        assertThat(database.stores().clients().find("persistent")).contains(client);
    }

    @Test
    @Tag("SEC10-1")
    @Tag("SEC10-4")
    void a_version_1_database_is_migrated_failing_closed() throws Exception {
        Path old = Files.createTempDirectory("gatehouse-h2-v1");
        String url = JdbcStores.h2Url(old);
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/gatehouse").target("1").load().migrate();
        long expires = 1_800_000_000_000L;
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO gh_clients VALUES ('old-backend', 'hash', 'Old backend', 'https://b.example/cb', "
                    + "'client_credentials', 'client_secret_basic', 'web', '', 1)");
            st.executeUpdate("INSERT INTO gh_refresh_tokens VALUES ('rt-hash', 'family-1', 'old-backend', 'alice', 'alice', 'user', "
                    + "'mcp:read', 'http://localhost:9000/mcp', " + expires + ", FALSE)");
        }
        try (JdbcStores migrated = JdbcStores.open(url, Optional.empty(), Optional.empty(), KEK)) {
            RegisteredClient client = migrated.stores().clients().find("old-backend").orElseThrow();
            assertThat(client.origin()).isEqualTo(ClientOrigin.SELF_REGISTERED);
            assertThat(client.origin().operatorApproved()).isFalse();
            assertThat(client.introspection()).isFalse();
            assertThat(client.allowedScopes()).containsExactly(RegisteredClient.ANY_SCOPE);
            assertThat(migrated.stores().grants().refreshToken("rt-hash").orElseThrow().grant().startedAt())
                    .isEqualTo(Instant.ofEpochMilli(expires).minus(Duration.ofDays(30)));
        }
    }

    @Test
    @Tag("issue-15")
    void a_consent_stored_before_version_4_is_listed_with_no_time_and_can_be_revoked(@org.junit.jupiter.api.io.TempDir Path old)
            throws Exception {
        String url = JdbcStores.h2Url(old);
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/gatehouse").target("3").load().migrate();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO gh_consents VALUES ('alice', 'old-app', 'mcp:read mcp:tools')");
        }
        try (JdbcStores migrated = JdbcStores.open(url, Optional.empty(), Optional.empty(), KEK)) {
            assertThat(migrated.stores().consents().consentsOf("alice")).containsExactly(
                    new io.gatehouse.as.authorize.ConsentStore.Consent("old-app", java.util.Set.of("mcp:read", "mcp:tools"), Instant.EPOCH));
            assertThat(migrated.stores().consents().revoke("alice", "old-app")).isTrue();
            assertThat(migrated.stores().consents().consentsOf("alice")).isEmpty();
        }
    }

    @Test
    void signing_keys_are_stored_encrypted_so_the_table_alone_holds_no_private_key() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("sealed").algorithm(JWSAlgorithm.RS256).generate();
        database.stores().keys().save(List.of(key));
        String stored = storedKey("sealed");
        assertThat(stored).doesNotContain(key.getPrivateExponent().toString()).doesNotContain("\"d\"").startsWith("ey");
        JWEObject jwe = JWEObject.parse(stored);
        assertThat(jwe.getHeader().getAlgorithm()).isEqualTo(JWEAlgorithm.DIR);
        assertThat(jwe.getHeader().getEncryptionMethod()).isEqualTo(EncryptionMethod.A256GCM);
        assertThat(database.stores().keys().load()).containsExactly(key);
    }

    @Test
    void a_key_stored_in_plain_text_by_an_earlier_version_loads_and_is_rewritten_encrypted() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("plain").algorithm(JWSAlgorithm.RS256).generate();
        database.stores().keys().save(List.of());
        try (Connection c = DriverManager.getConnection(JdbcStores.h2Url(dir));
             PreparedStatement insert = c.prepareStatement("INSERT INTO gh_signing_keys (kid, jwk, created_at) VALUES (?, ?, 0)")) {
            insert.setString(1, "plain");
            insert.setString(2, key.toJSONString());
            insert.executeUpdate();
        }
        assertThat(database.stores().keys().load()).containsExactly(key);
        assertThat(storedKey("plain")).doesNotContain(key.getPrivateExponent().toString());
        assertThat(KEK.open(storedKey("plain"))).isEqualTo(key);
    }

    @Test
    void keys_encrypted_under_another_key_encryption_key_are_refused_not_replaced() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("other").algorithm(JWSAlgorithm.RS256).generate();
        database.stores().keys().save(List.of(key));
        String stored = storedKey("other");
        try (JdbcStores other = JdbcStores.open(JdbcStores.h2Url(dir), Optional.empty(), Optional.empty(), KeyEncryptionKey.generate())) {
            assertThatThrownBy(() -> other.stores().keys().load()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("encrypted with key-encryption key " + KEK.id());
        }
        assertThat(storedKey("other")).isEqualTo(stored);
    }

    private static String storedKey(String kid) throws Exception {
        try (Connection c = DriverManager.getConnection(JdbcStores.h2Url(dir));
             PreparedStatement query = c.prepareStatement("SELECT jwk FROM gh_signing_keys WHERE kid = ?")) {
            query.setString(1, kid);
            try (ResultSet rs = query.executeQuery()) {
                assertThat(rs.next()).as("a stored key %s", kid).isTrue();
                return rs.getString(1);
            }
        }
    }

    @Test
    @Tag("issue-18")
    @Tag("attack")
    void the_providers_refresh_and_id_tokens_are_stored_sealed_never_in_clear() throws Exception {
        Path other = Files.createTempDirectory("gatehouse-h2-upstream");
        String url = JdbcStores.h2Url(other);
        try (JdbcStores stores = JdbcStores.open(url, Optional.empty(), Optional.empty(), KEK)) {
            stores.stores().upstreamLogins().putLogin(Secrets.hash("session"), new io.gatehouse.as.federation.UpstreamLoginStore.Login(
                    "login-1", "sub-1", "alice", java.util.Set.of("r"), java.util.Set.of("mcp:read"),
                    Optional.of("upstream-refresh-token-in-clear"), Optional.of("upstream.id.token-in-clear"), java.time.Instant.now(),
                    java.time.Instant.now().plusSeconds(600)));
        }
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             java.sql.ResultSet rows = st.executeQuery("SELECT refresh_token, id_token FROM gh_upstream_logins")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).doesNotContain("upstream-refresh-token-in-clear").startsWith("ey");
            assertThat(rows.getString(2)).doesNotContain("upstream.id.token-in-clear");
        }
        try (JdbcStores stores = JdbcStores.open(url, Optional.empty(), Optional.empty(), KEK)) {
            assertThat(stores.stores().upstreamLogins().loginOfSession(Secrets.hash("session")))
                    .hasValueSatisfying(l -> assertThat(l.refreshToken()).contains("upstream-refresh-token-in-clear"));
        }
    }
}
