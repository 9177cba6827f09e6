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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
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
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Override
    AsStores stores() {
        return database.stores();
    }

    @Test
    void what_was_stored_is_still_there_after_reopening_the_database() {
        var client = new io.gatehouse.as.clients.RegisteredClient("persistent", Optional.empty(), "Persistent",
                java.util.List.of(java.net.URI.create("http://127.0.0.1/cb")), java.util.Set.of("authorization_code"), "none",
                "native", java.util.Set.of(), java.time.Instant.ofEpochMilli(1));
        database.stores().clients().save(client);
        database.close();
        database = JdbcStores.open(JdbcStores.h2Url(dir), Optional.empty(), Optional.empty(), KEK);
        assertThat(database.stores().clients().find("persistent")).contains(client);
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
}
