package io.gatehouse.as.store;

import io.gatehouse.testkit.PostgresServer;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;

/** The same store contract on a real PostgreSQL, started for the test from Debian's packages. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("postgresql")
class PostgresStoresTest extends StoreContract {

    static PostgresServer postgres;
    static JdbcStores database;

    @BeforeAll
    static void start() throws Exception {
        postgres = PostgresServer.start();
        database = JdbcStores.open(postgres.jdbcUrl(), Optional.empty(), Optional.empty(), KEK);
        small = JdbcStores.open(postgres.jdbcUrl(), Optional.empty(), Optional.empty(), KEK, SMALL);
    }

    static JdbcStores small;

    @Override
    AsStores small() {
        return small.stores();
    }

    @AfterAll
    static void stop() throws Exception {
        small.close();
        database.close();
        postgres.close();
    }

    @Override
    AsStores stores() {
        return database.stores();
    }
}
