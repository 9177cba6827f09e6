package io.gatehouse.as.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.as.clients.ClientOrigin;
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
        database = JdbcStores.open(JdbcStores.h2Url(dir), Optional.empty(), Optional.empty());
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
                "native", java.util.Set.of(), java.time.Instant.ofEpochMilli(1), io.gatehouse.as.clients.ClientOrigin.SELF_REGISTERED, false);
        database.stores().clients().save(client);
        database.close();
        database = JdbcStores.open(JdbcStores.h2Url(dir), Optional.empty(), Optional.empty());
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
        try (JdbcStores migrated = JdbcStores.open(url, Optional.empty(), Optional.empty())) {
            RegisteredClient client = migrated.stores().clients().find("old-backend").orElseThrow();
            assertThat(client.origin()).isEqualTo(ClientOrigin.SELF_REGISTERED);
            assertThat(client.origin().operatorApproved()).isFalse();
            assertThat(client.introspection()).isFalse();
            assertThat(client.allowedScopes()).containsExactly(RegisteredClient.ANY_SCOPE);
            assertThat(migrated.stores().grants().refreshToken("rt-hash").orElseThrow().grant().startedAt())
                    .isEqualTo(Instant.ofEpochMilli(expires).minus(Duration.ofDays(30)));
        }
    }
}
