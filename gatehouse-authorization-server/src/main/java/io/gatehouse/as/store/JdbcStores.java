package io.gatehouse.as.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.gatehouse.as.keys.KeyEncryptionKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.flywaydb.core.Flyway;

/**
 * Opens the authorization server's database: a HikariCP pool, the schema migrated by Flyway
 * ({@code db/gatehouse/V*.sql}), and the four stores on top. H2 in a file under the data directory by default,
 * PostgreSQL when several nodes share one authorization server. Signing keys are stored encrypted under a
 * {@link KeyEncryptionKey} kept outside the database.
 */
public final class JdbcStores implements AutoCloseable {

    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(3);

    private final HikariDataSource dataSource;
    private final AsStores stores;

    private JdbcStores(HikariDataSource dataSource, KeyEncryptionKey keyEncryption) {
        this.dataSource = dataSource;
        Clock clock = Clock.systemUTC();
        Jdbc jdbc = new Jdbc(dataSource, clock);
        // readiness is asked by anyone (GET /health): one probe at a time, at most one a second
        this.stores = new AsStores(new JdbcClientStore(jdbc), new JdbcConsentStore(jdbc), new JdbcGrantStore(jdbc),
                new JdbcKeyStore(jdbc, keyEncryption), new ReadinessProbe(jdbc::isReachable, clock));
    }

    /**
     * @param keyEncryption encrypts the signing keys' private halves in the database; every node sharing one
     *                      database needs the same
     */
    public static JdbcStores open(String jdbcUrl, Optional<String> user, Optional<String> password, KeyEncryptionKey keyEncryption) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        user.ifPresent(config::setUsername);
        password.ifPresent(config::setPassword);
        config.setMaximumPoolSize(8);
        config.setPoolName("gatehouse-as");
        config.setInitializationFailTimeout(10_000);
        // a request waits this long for a connection when the database is down, then gets 503 (HikariCP's default is 30 s)
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        config.setValidationTimeout(1_000);
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/gatehouse").load().migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new JdbcStores(dataSource, keyEncryption);
    }

    /** The H2 database file under {@code dataDir} (created on first use). */
    public static String h2Url(java.nio.file.Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("as").resolve("gatehouse") + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    public AsStores stores() {
        return stores;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
