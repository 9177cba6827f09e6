package io.gatehouse.app.auth;

import io.gatehouse.app.config.EmbeddedAsConfig;
import io.gatehouse.app.config.GatehouseConfig;
import io.gatehouse.as.AsSettings;
import io.gatehouse.as.AuthorizationServer;
import io.gatehouse.as.clients.Secrets;
import io.gatehouse.app.config.ConfigException;
import io.gatehouse.as.store.JdbcStores;
import io.gatehouse.as.users.PasswordHasher;
import io.gatehouse.as.users.User;
import io.gatehouse.as.users.UserDirectory;
import io.gatehouse.rs.policy.ScopePolicy;
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
    private final Clock clock;
    private volatile Optional<AuthorizationServer> created = Optional.empty();

    private EmbeddedAuthorization(GatehouseConfig config, List<User> users, JdbcStores database, Clock clock) {
        this.config = config;
        this.users = users;
        this.database = database;
        this.clock = clock;
    }

    /** Prepares users (and the demo password) before the server binds, so problems stop the start. */
    public static EmbeddedAuthorization prepare(GatehouseConfig config, Clock clock) throws IOException {
        EmbeddedAsConfig embedded = config.embedded();
        List<User> users = new java.util.ArrayList<>(embedded.users());
        if (embedded.demoUsers()) {
            for (User demo : demoUsers(demoPassword(config))) {
                if (users.stream().noneMatch(u -> u.username().equals(demo.username()))) {
                    users.add(demo);
                }
            }
        }
        if (users.isEmpty()) {
            LOG.warn("The embedded authorization server has no users: nobody can log in. Enable demo-users or configure users.");
        }
        String url = embedded.databaseUrl().orElseGet(() -> JdbcStores.h2Url(config.dataDir()));
        JdbcStores database;
        try {
            database = JdbcStores.open(url, embedded.databaseUser(), embedded.databasePassword());
        } catch (RuntimeException e) {
            throw new ConfigException("Cannot open the authorization server's database " + url.replaceAll("password=[^;&]*", "password=***")
                    + ": " + rootMessage(e) + (url.startsWith("jdbc:h2:") ? " (is another Gatehouse using the same --data-dir?)" : ""));
        }
        LOG.info("Authorization server state in {}", url.startsWith("jdbc:h2:") ? config.dataDir().resolve("as") : url.replaceAll("\\?.*", ""));
        return new EmbeddedAuthorization(config, users, database, clock);
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
    }

    /** The authorization server {@link #create} made last, if it was called. */
    public Optional<AuthorizationServer> server() {
        return created;
    }

    /** The authorization server for the bound server's canonical MCP URL. */
    public AuthorizationServer create(URI mcpUrl) {
        URI issuer = URI.create(mcpUrl.getScheme() + "://" + mcpUrl.getRawAuthority());
        EmbeddedAsConfig embedded = config.embedded();
        AsSettings settings = new AsSettings(issuer, List.of(mcpUrl), ScopePolicy.BASE_SCOPES, embedded.accessTokenTtl(),
                embedded.refreshTokenTtl(), Duration.ofMinutes(1), embedded.registrationOpen(), embedded.registrationToken(),
                issuer.getScheme().equals("https"), embedded.metadataDocuments(), embedded.metadataDocumentsOnLoopback(),
                embedded.signingKeyLifetime(), embedded.refreshTokenMaxLifetime());
        AuthorizationServer server = new AuthorizationServer(settings, database.stores(), embedded.clients(), new UserDirectory(users), clock);
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
        Files.createDirectories(config.dataDir());
        LocalKeys.writeOwnerOnly(file, generated + "\n");
        System.err.println();
        System.err.println("  Demo users alice, bob, admin and guest were created. Their password (shown only now): " + generated);
        System.err.println("  It is kept in " + file + "; set GATEHOUSE_DEMO_PASSWORD to choose your own.");
        System.err.println();
        return generated.toCharArray();
    }
}
