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

    private final JdbcSecrets secrets;

    private JdbcStores(HikariDataSource dataSource, KeyEncryptionKey keyEncryption, StoreBounds bounds) {
        this.dataSource = dataSource;
        Clock clock = Clock.systemUTC();
        Jdbc jdbc = new Jdbc(dataSource, clock);
        // readiness is asked by anyone (GET /health): one probe at a time, at most one a second
        this.stores = new AsStores(new JdbcClientStore(jdbc), new JdbcConsentStore(jdbc), new JdbcGrantStore(jdbc),
                new JdbcKeyStore(jdbc, keyEncryption), new JdbcBrowserStateStore(jdbc, bounds), new JdbcLoginAttempts(jdbc, bounds),
                new JdbcUpstreamLoginStore(jdbc, keyEncryption, bounds),
                new ReadinessProbe(jdbc::isReachable, clock));
        this.secrets = new JdbcSecrets(jdbc, keyEncryption, clock);
    }

    /**
     * @param keyEncryption encrypts the signing keys' private halves in the database; every node sharing one
     *                      database needs the same
     */
    public static JdbcStores open(String jdbcUrl, Optional<String> user, Optional<String> password, KeyEncryptionKey keyEncryption) {
        return open(jdbcUrl, user, password, keyEncryption, StoreBounds.DEFAULT);
    }

    static JdbcStores open(String jdbcUrl, Optional<String> user, Optional<String> password, KeyEncryptionKey keyEncryption,
                           StoreBounds bounds) {
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
        return new JdbcStores(dataSource, keyEncryption, bounds);
    }

    /**
     * The H2 database file under {@code dataDir} (created on first use). A lock wait (the signing keys' rotation
     * lock, held while a key is generated) may last 10 s instead of H2's default of 1 s.
     */
    public static String h2Url(java.nio.file.Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("as").resolve("gatehouse") + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000";
    }

    public AsStores stores() {
        return stores;
    }

    /**
     * A random secret of 32 bytes shared by every node of this database, made by the first node that asks for it
     * (of nodes asking at once, one's is stored and every one gets it) and stored sealed under the key-encryption
     * key, like the signing keys. For keys that protect opaque state a client may send to any node (the MCP
     * {@code requestState}).
     *
     * @param name what the secret is for, e.g. {@code request-state}
     * @throws KeyEncryptionKey.UnreadableKeyException when the stored secret was sealed under another key-encryption key
     */
    public byte[] sharedSecret(String name) {
        return secrets.secret(name);
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
