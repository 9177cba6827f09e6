package io.gatehouse.server.internal.auth;

import io.gatehouse.server.internal.config.EmbeddedAsConfig;
import io.gatehouse.server.internal.config.GatehouseConfig;
import io.gatehouse.as.AsMetrics;
import io.gatehouse.as.AsSettings;
import io.gatehouse.as.ScopeDescriptions;
import io.gatehouse.as.AuthorizationServer;
import io.gatehouse.as.clients.Secrets;
import io.gatehouse.as.keys.KeyEncryptionKey;
import io.gatehouse.as.keys.SigningKeys;
import io.gatehouse.mcp.internal.mrtr.RequestStateKey;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import io.gatehouse.server.internal.config.ConfigException;
import io.gatehouse.as.store.JdbcStores;
import io.gatehouse.as.users.PasswordHasher;
import io.gatehouse.as.users.User;
import io.gatehouse.as.users.UserDirectory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the embedded authorization server of {@code --auth embedded}: issuer = the server's own origin, the one
 * resource it issues tokens for = the canonical MCP URL, signing keys stored under the data directory, and the
 * tutorial's demo users (alice: read and tools; bob: read and prompts; admin: everything; guest: nothing) whose
 * password is set by configuration or generated at first start and printed once.
 */
public final class EmbeddedAuthorization implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedAuthorization.class);
    static final String DEMO_PASSWORD_FILE = "demo-password";

    private final GatehouseConfig config;
    private final List<User> users;
    private final JdbcStores database;
    private final RequestStateKey requestStateKey;
    private final Clock clock;
    private volatile Optional<AuthorizationServer> created = Optional.empty();

    private EmbeddedAuthorization(GatehouseConfig config, List<User> users, JdbcStores database, RequestStateKey requestStateKey,
                                  Clock clock) {
        this.config = config;
        this.users = users;
        this.database = database;
        this.requestStateKey = requestStateKey;
        this.clock = clock;
    }

    /**
     * Prepares users (and the demo password), the key-encryption key and the database before the server binds, so
     * problems stop the start. The data directory and everything Gatehouse keeps in it are readable by their owner
     * only; the signing keys in the database are encrypted with the key-encryption key, and a database whose keys
     * that key cannot open stops the start instead of getting new keys.
     */
    public static EmbeddedAuthorization prepare(GatehouseConfig config, Clock clock) throws IOException {
        EmbeddedAsConfig embedded = config.embedded();
        boolean h2InDataDir = embedded.databaseUrl().isEmpty();
        if (h2InDataDir || (embedded.demoUsers() && embedded.demoPassword().isEmpty())
                || (embedded.keyEncryptionKey().isEmpty() && embedded.keyEncryptionKeyFile().isEmpty())) {
            OwnerOnlyFiles.secureDirectory(config.dataDir());
        }
        if (h2InDataDir) {
            // H2 makes its files with the process's umask; in this directory nobody else can reach them
            OwnerOnlyFiles.createDirectories(config.dataDir().resolve("as"));
        }
        List<User> users = new java.util.ArrayList<>(embedded.users());
        if (embedded.demoUsers()) {
            for (User demo : demoUsers(demoPassword(config))) {
                if (users.stream().noneMatch(u -> u.username().equals(demo.username()))) {
                    users.add(demo);
                }
            }
        }
        // a machine's tokens carry its client id as sub, a user's their username: one name for both would be one principal
        for (var client : embedded.clients()) {
            if (users.stream().anyMatch(u -> u.username().equals(client.clientId()))) {
                throw new ConfigException("The configured client '" + client.clientId() + "' has the name of a user: tokens of "
                        + "both would name the same subject (sessions, audit lines). Rename the client or the user.");
            }
        }
        if (users.isEmpty()) {
            LOG.warn("The embedded authorization server has no users: nobody can log in. Enable demo-users or configure users.");
        }
        KeyEncryptionKeys.Resolved encryption = KeyEncryptionKeys.resolve(config);
        JdbcStores database = openDatabase(config, encryption);
        RequestStateKey requestStateKey;
        try {
            byte[] secret = database.sharedSecret(REQUEST_STATE_SECRET);
            SecretKey key = new SecretKeySpec(secret, "AES");
            requestStateKey = () -> key;
        } catch (RuntimeException e) {
            database.close();
            throw new ConfigException("Cannot read the requestState key stored in " + shownUrl(config) + ": " + e.getMessage());
        }
        if (h2InDataDir) {
            OwnerOnlyFiles.narrowCreatedFiles(config.dataDir().resolve("as"));
        }
        LOG.info("Authorization server state in {}", shownUrl(config));
        return new EmbeddedAuthorization(config, users, database, requestStateKey, clock);
    }

    /** The name of the requestState key among the database's shared secrets. */
    static final String REQUEST_STATE_SECRET = "request-state";

    private static String url(GatehouseConfig config) {
        return config.embedded().databaseUrl().orElseGet(() -> JdbcStores.h2Url(config.dataDir()));
    }

    private static String shownUrl(GatehouseConfig config) {
        String url = url(config);
        return url.startsWith("jdbc:h2:") ? config.dataDir().resolve("as").toString() : url.replaceAll("\\?.*", "");
    }

    /**
     * Opens the configured database and reads every stored signing key (encrypting those an earlier version kept in
     * plain text), or stops with a message; forgets a key-encryption key generated by this start if it fails.
     */
    private static JdbcStores openDatabase(GatehouseConfig config, KeyEncryptionKeys.Resolved encryption) {
        EmbeddedAsConfig embedded = config.embedded();
        String url = url(config);
        String shownUrl = shownUrl(config);
        JdbcStores database;
        try {
            database = JdbcStores.open(url, embedded.databaseUser(), embedded.databasePassword(), encryption.key());
        } catch (RuntimeException e) {
            encryption.forgetGenerated();
            throw new ConfigException("Cannot open the authorization server's database " + url.replaceAll("(?i)(password|pwd|secret)=[^;&]*", "$1=***")
                    + ": " + rootMessage(e) + (url.startsWith("jdbc:h2:") ? " (is another Gatehouse using the same --data-dir?)" : ""));
        }
        try {
            database.stores().keys().load();
        } catch (RuntimeException e) {
            database.close();
            encryption.forgetGenerated();
            if (!(e instanceof KeyEncryptionKey.UnreadableKeyException)) {
                throw new ConfigException("Cannot read the signing keys stored in " + shownUrl + ": " + e.getMessage());
            }
            throw new ConfigException("Cannot read the signing keys stored in " + shownUrl + ": " + e.getMessage() + ". Start with the "
                    + "key-encryption key they were encrypted with (now " + encryption.source() + "; settings key-encryption-key-file "
                    + "or GATEHOUSE_KEY_ENCRYPTION_KEY). Every node sharing one database needs the same key. Gatehouse does not "
                    + "replace keys it cannot read; to start over with new ones, which invalidates every token issued so far, "
                    + "delete the rows of table gh_signing_keys.");
        }
        return database;
    }

    /** The default H2 file is open in another process (a running server): H2 lets one process use it at a time. */
    public static final class DatabaseInUseException extends RuntimeException {
        DatabaseInUseException(String message) {
            super(message);
        }
    }

    /**
     * {@code gatehouse keys rotate}: opens the database {@code serve} would use with these settings, rotates the
     * signing key under the database's rotation lock, and returns the new key's id. Running nodes sharing the
     * database sign with it within {@link SigningKeys#RELOAD_INTERVAL}; tokens signed with the old key keep verifying
     * until they expire. Generates no key-encryption key: without one there are no keys to rotate.
     *
     * @throws DatabaseInUseException when the database is the default H2 file and a server has it open
     * @throws ConfigException        when the settings, the key-encryption key or the database are wrong
     */
    public static String rotateSigningKeys(GatehouseConfig config, Clock clock) throws IOException {
        if (config.auth() != io.gatehouse.server.internal.config.AuthMode.EMBEDDED) {
            throw new ConfigException("Only the embedded authorization server (--auth embedded) has signing keys to rotate; "
                    + "for --auth local-keys use 'gatehouse keys generate'.");
        }
        if (config.embedded().databaseUrl().isEmpty()) {
            refuseIfH2InUse(config);
        }
        java.nio.file.Path keyFile = config.embedded().keyEncryptionKeyFile().orElse(config.dataDir().resolve(KeyEncryptionKeys.DEFAULT_FILE));
        if (config.embedded().keyEncryptionKey().isEmpty() && !java.nio.file.Files.exists(keyFile)) {
            // never a new key here: it could not open the keys the servers stored
            throw new ConfigException("No key-encryption key found (" + keyFile + "): give the settings 'gatehouse serve' uses "
                    + "(--config, --env, --data-dir, GATEHOUSE_*), or start the server once first.");
        }
        KeyEncryptionKeys.Resolved encryption = KeyEncryptionKeys.resolve(config);
        try (JdbcStores database = openDatabase(config, encryption)) {
            return new SigningKeys(database.stores().keys(), clock, config.embedded().accessTokenTtl()).rotate();
        }
    }

    /** One connection attempt to the H2 file: a server holding it makes H2 refuse at once (error 90020). */
    private static void refuseIfH2InUse(GatehouseConfig config) {
        try (java.sql.Connection ignored = java.sql.DriverManager.getConnection(url(config) + ";IFEXISTS=TRUE")) {
            // not in use (or not there: opening it below says so)
        } catch (java.sql.SQLException e) {
            if (e.getErrorCode() == 90020 || String.valueOf(e.getMessage()).contains("already in use")) {
                throw new DatabaseInUseException("The authorization server's database " + shownUrl(config) + " is in use by a running "
                        + "Gatehouse (the default H2 database allows one process at a time): stop it and run this again, or use a "
                        + "shared database (database-url, PostgreSQL) to rotate keys while nodes run.");
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    @Override
    public void close() {
        database.close();
        if (config.embedded().databaseUrl().isEmpty()) {
            try {
                // what H2 made since the start is in a directory only the owner can enter; narrow it as well
                OwnerOnlyFiles.narrowCreatedFiles(config.dataDir().resolve("as"));
            } catch (IOException | RuntimeException e) {
                LOG.warn("Cannot check the permissions in {}: {}", config.dataDir().resolve("as"), e.getMessage());
            }
        }
    }

    /** The key that seals MCP {@code requestState}, shared by every node of this database. */
    public RequestStateKey requestStateKey() {
        return requestStateKey;
    }

    /** The authorization server {@link #create} made last, if it was called. */
    public Optional<AuthorizationServer> server() {
        return created;
    }

    /**
     * The authorization server for the bound server's canonical MCP URL, supporting (advertising and granting to
     * users allowed them) {@code scopesSupported}: the {@link ServerScopes server's scopes}; it counts into {@code metrics}.
     */
    public AuthorizationServer create(URI mcpUrl, List<String> scopesSupported, AsMetrics metrics) {
        URI issuer = URI.create(mcpUrl.getScheme() + "://" + mcpUrl.getRawAuthority());
        EmbeddedAsConfig embedded = config.embedded();
        AsSettings settings = new AsSettings(issuer, List.of(mcpUrl), scopesSupported, embedded.accessTokenTtl(),
                embedded.refreshTokenTtl(), Duration.ofMinutes(1), embedded.registrationOpen(), embedded.registrationToken(),
                issuer.getScheme().equals("https"), embedded.metadataDocuments(), embedded.metadataDocumentsOnLoopback(),
                embedded.signingKeyLifetime(), embedded.refreshTokenMaxLifetime(), config.resourceServer().resourceName(),
                ScopeDescriptions.of(embedded.scopeDescriptions()), embedded.tokenExchangeLifetime());
        AuthorizationServer server = new AuthorizationServer(settings, database.stores(), embedded.clients(), new UserDirectory(users), clock,
                metrics);
        created = Optional.of(server);
        return server;
    }

    static List<User> demoUsers(char[] password) {
        String hash = PasswordHasher.hash(password);
        return List.of(new User("alice", hash, Set.of("user"), Set.of("mcp:read", "mcp:tools")),
                new User("bob", hash, Set.of("user"), Set.of("mcp:read", "mcp:prompts")),
                new User("admin", hash, Set.of("admin", "user"), Set.of("*")),
                new User("guest", hash, Set.of("guest"), Set.of()));
    }

    /** The configured demo password, else the one kept in the data directory, else a new one, printed once. */
    static char[] demoPassword(GatehouseConfig config) throws IOException {
        if (config.embedded().demoPassword().isPresent()) {
            return config.embedded().demoPassword().get().toCharArray();
        }
        Path file = config.dataDir().resolve(DEMO_PASSWORD_FILE);
        if (Files.exists(file)) {
            return Files.readString(file).strip().toCharArray();
        }
        String generated = Secrets.random(12);
        OwnerOnlyFiles.createDirectories(config.dataDir());
        OwnerOnlyFiles.create(file, generated + "\n");
        System.err.println();
        System.err.println("  Demo users alice, bob, admin and guest were created. Their password (shown only now): " + generated);
        System.err.println("  It is kept in " + file + "; set GATEHOUSE_DEMO_PASSWORD to choose your own.");
        System.err.println();
        return generated.toCharArray();
    }
}
