package io.gatehouse.as.store;

import static org.assertj.core.api.Assertions.assertThat;

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
                "native", java.util.Set.of(), java.time.Instant.ofEpochMilli(1));
        database.stores().clients().save(client);
        database.close();
        database = JdbcStores.open(JdbcStores.h2Url(dir), Optional.empty(), Optional.empty());
        assertThat(database.stores().clients().find("persistent")).contains(client);
    }
}
