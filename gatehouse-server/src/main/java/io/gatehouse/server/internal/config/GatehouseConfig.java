package io.gatehouse.server.internal.config;

import io.gatehouse.gateway.UpstreamConfig;
import io.gatehouse.server.internal.logging.LogFormat;
import io.gatehouse.rs.token.ClaimsReader;
import io.gatehouse.rs.token.TokenTypes;
import io.gatehouse.transport.ManagementListener;
import io.gatehouse.transport.SessionMode;
import io.gatehouse.transport.TlsConfig;
import io.gatehouse.transport.TransportConfig;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The whole configuration of {@code gatehouse serve}, typed and validated before anything binds. Every value
 * comes from {@link Settings} (defaults &lt; config file &lt; env file &lt; environment &lt; flags); errors name
 * the setting, where its value came from, and what would be accepted.
 */
public record GatehouseConfig(TransportConfig transport, AuthMode auth, ResourceServerConfig resourceServer,
                              EmbeddedAsConfig embedded, Set<String> fixtures, Path dataDir, Duration sessionIdleTimeout,
                              int maxSessions, int maxSessionsPerPrincipal, int pageSize, Optional<ManagementListener> management,
                              List<UpstreamConfig> upstreams, LogFormat logFormat, Map<String, DownstreamConfig> downstreams) {

    public static final Set<String> KNOWN_FIXTURES = Set.of("conformance");
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GatehouseConfig.class);

    public static GatehouseConfig from(Settings settings) {
        Reader r = new Reader(settings);
        // every value given is first checked against its definition's kind, in definition order
        ConfigKeys.all().forEach(r::checkForm);
        String host = r.text("host");
        int port = r.integer("port", 0, 65535);
        Optional<URI> publicUrl = r.optional("public-url").map(v -> r.httpUrl("public-url", v));
        SessionMode sessionMode = r.choice("session-mode", SessionMode.class);
        AuthMode auth = r.choice("auth", AuthMode.class);
        Set<String> fixtures = r.list("fixtures").stream().collect(Collectors.toUnmodifiableSet());
        for (String fixture : fixtures) {
            if (!KNOWN_FIXTURES.contains(fixture)) {
                throw r.wrong("fixtures", "unknown fixture pack '" + fixture + "'; known: " + KNOWN_FIXTURES);
            }
        }
        if (auth == AuthMode.NONE && !isLoopback(host)) {
            throw new ConfigException("--auth none (no authentication) is allowed only on a loopback address, but host is "
                    + host + " (" + r.source("host") + "). Bind 127.0.0.1, or choose an authentication mode.");
        }
        TransportConfig transport;
        try {
            transport = new TransportConfig(host, port, "/mcp", publicUrl, sessionMode,
                    r.list("allowed-origins"), r.list("allowed-hosts"),
                    r.integer("max-request-bytes", 1024, Integer.MAX_VALUE - 1), r.integer("max-header-bytes", 1024, 1 << 20),
                    r.duration("sse-keep-alive"), r.duration("sse-idle-timeout"), r.duration("idle-timeout"),
                    r.durationOrZero("shutdown-drain"), tls(r), r.list("trusted-proxies"));
        } catch (IllegalArgumentException e) {
            // every other value was checked above: what the record refuses is a trusted proxy it cannot parse
            throw r.wrong("trusted-proxies", "has an entry that is " + e.getMessage());
        }
        List<UpstreamConfig> upstreams = UpstreamsConfig.from(r, settings);
        if (!upstreams.isEmpty() && !fixtures.isEmpty()) {
            throw r.wrong("fixtures", "cannot be served by a gateway: with upstreams, Gatehouse serves theirs");
        }
        if (sessionMode == SessionMode.STATELESS && upstreams.stream().anyMatch(u -> u.kind() == UpstreamConfig.Kind.STDIO)) {
            throw r.wrong("session-mode", "is stateless, but a stdio upstream runs one child process per client session, "
                    + "which a stateless server does not have: use session-mode stateful, or an HTTP upstream");
        }
        EmbeddedAsConfig embedded = embedded(r, auth, host, publicUrl, settings, Path.of(r.text("data-dir")));
        Map<String, DownstreamConfig> downstreams = DownstreamsConfig.parse(settings.downstreamsSection(), settings.environment(),
                auth, auth == AuthMode.EMBEDDED ? embedded.clients() : List.of());
        UpstreamsConfig.checkTokenExchange(upstreams, downstreams);
        return new GatehouseConfig(transport, auth, resourceServer(r, auth, settings), embedded, fixtures,
                Path.of(r.text("data-dir")),
                r.duration("session-idle-timeout"), r.integer("max-sessions", 1, 10_000_000),
                r.integer("max-sessions-per-principal", 1, 10_000_000), r.integer("page-size", 1, 1000), management(r, port),
                upstreams, r.choice("log-format", LogFormat.class), downstreams);
    }

    /** The certificate to serve HTTPS with, read once here so that a bad file is a clear start-up error. */
    private static Optional<TlsConfig> tls(Reader r) {
        Optional<String> cert = r.optional("tls-cert");
        Optional<String> key = r.optional("tls-key");
        Optional<String> keystore = r.optional("tls-keystore");
        if (keystore.isPresent() && (cert.isPresent() || key.isPresent())) {
            throw r.wrong("tls-keystore", "cannot be combined with tls-cert/tls-key: give PEM files or a PKCS#12 keystore");
        }
        if (cert.isPresent() != key.isPresent()) {
            throw r.wrong(cert.isPresent() ? "tls-cert" : "tls-key", "needs both tls-cert (the certificate chain) and tls-key "
                    + "(its private key)");
        }
        if (r.optional("tls-keystore-password").isPresent() && keystore.isEmpty()) {
            throw r.wrong("tls-keystore-password", "has no effect without tls-keystore");
        }
        Optional<TlsConfig> tls = keystore.<TlsConfig>map(k -> new TlsConfig.Pkcs12(Path.of(k), r.optional("tls-keystore-password").orElse("")))
                .or(() -> cert.map(c -> new TlsConfig.Pem(Path.of(c), Path.of(key.orElseThrow()))));
        try {
            tls.ifPresent(TlsConfig::check);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage() + " (" + r.source(keystore.isPresent() ? "tls-keystore" : "tls-cert") + ")");
        }
        return tls;
    }

    private static Optional<ManagementListener> management(Reader r, int publicPort) {
        if (r.optional("management-port").isEmpty()) {
            if (r.settings().get("management-host").isPresent()) {
                throw r.wrong("management-host", "has no effect without management-port; set management-port (0 for any free "
                        + "port) to open the management listener");
            }
            return Optional.empty();
        }
        int port = r.integer("management-port", 0, 65535);
        if (port != 0 && port == publicPort) {
            throw r.wrong("management-port", "must differ from port (" + publicPort + ")");
        }
        String host = r.text("management-host");
        if (!isLoopback(host)) {
            LOG.warn("The management listener ({}:{}) is bound to a non-loopback address: anyone who reaches it sees the "
                    + "server's version, sessions and issuer. It has no authentication.", host, port);
        }
        return Optional.of(new ManagementListener(host, port));
    }

    private static EmbeddedAsConfig embedded(Reader r, AuthMode auth, String host, Optional<URI> publicUrl, Settings settings,
                                             Path dataDir) {
        Optional<io.gatehouse.as.federation.FederationSettings> login = LoginConfig.parse(r, auth, dataDir);
        boolean localUsers = login.isEmpty() || r.bool("login-allow-local-users");
        boolean demoUsers = r.bool("demo-users");
        java.util.List<io.gatehouse.as.users.User> users = UsersConfig.parse(settings.usersSection());
        if (!localUsers) {
            if (demoUsers && !r.source("demo-users").equals("default")) {
                throw r.wrong("demo-users", "is true next to federated login (login-issuer): set login-allow-local-users=true to "
                        + "offer the demo users besides the provider, or remove demo-users");
            }
            if (!users.isEmpty()) {
                throw new ConfigException("The config file's users: are configured next to federated login (login-issuer): set "
                        + "login-allow-local-users=true (login.allow-local-users: true) to keep them besides the provider, or "
                        + "remove them.");
            }
            demoUsers = false;
        }
        if (auth == AuthMode.EMBEDDED && demoUsers && !r.bool("allow-demo-users-on-network")) {
            if (!isLoopback(host)) {
                throw new ConfigException("Demo users (alice, bob, admin, guest) are refused on the non-loopback address " + host
                        + ": anyone on the network could log in. Configure real users, or set allow-demo-users-on-network=true.");
            }
            // behind a proxy the bind address is loopback, but the public URL says who can reach the login page
            if (publicUrl.isPresent() && !isLoopback(publicUrl.get().getHost())) {
                throw new ConfigException("Demo users (alice, bob, admin, guest) are refused when public-url (" + r.source("public-url")
                        + ") is not a loopback address: anyone who reaches " + publicUrl.get().getHost() + " could log in. "
                        + "Configure real users and set demo-users=false, or set allow-demo-users-on-network=true.");
            }
        }
        String registration = registrationMode(r);
        return new EmbeddedAsConfig(demoUsers, r.optional("demo-password"), r.duration("access-token-ttl"),
                r.duration("refresh-token-ttl"), !registration.equals("off"),
                registration.equals("token") ? r.optional("registration-token") : Optional.empty(),
                ClientsConfig.parse(settings.clientsSection(), settings.environment()), r.bool("client-metadata-documents"),
                r.bool("client-metadata-on-loopback"),
                r.optional("database-url"), r.optional("database-user"), r.optional("database-password"),
                users, r.duration("signing-key-lifetime"), r.duration("refresh-token-max-lifetime"),
                r.optional("key-encryption-key"), r.optional("key-encryption-key-file").map(Path::of),
                ScopesConfig.parse(settings.scopesSection()), tokenExchangeLifetime(r), login);
    }

    /** Short-lived by design: at least 10 seconds (a downstream call must fit), at most an hour. */
    private static Duration tokenExchangeLifetime(Reader r) {
        Duration lifetime = r.duration("token-exchange-lifetime");
        if (lifetime.compareTo(Duration.ofSeconds(10)) < 0 || lifetime.compareTo(Duration.ofHours(1)) > 0) {
            throw r.wrong("token-exchange-lifetime", "must be between 10s and 1h (exchanged tokens are meant to be short-lived)");
        }
        return lifetime;
    }

    /**
     * {@code open}, {@code token} (registration needs {@code registration-token} as an initial access token) or
     * {@code off}. A {@code registration-token} alone means {@code token}; with an explicit {@code open} or
     * {@code off} it contradicts the mode and stops the server, as does {@code token} without a token.
     */
    private static String registrationMode(Reader r) {
        String mode = r.text("registration");
        boolean tokenSet = r.optional("registration-token").isPresent();
        boolean explicit = !r.source("registration").equals("default");
        switch (mode) {
            case "token" -> {
                if (!tokenSet) {
                    throw r.wrong("registration", "is token, but registration-token is not set: set registration-token to the "
                            + "initial access token registering clients must send, or choose registration open or off");
                }
            }
            case "open", "off" -> {
                if (tokenSet && explicit) {
                    throw r.wrong("registration", "is " + mode + ", but registration-token (from " + r.source("registration-token")
                            + ") is set: choose registration token to require it, or remove registration-token");
                }
            }
            default -> throw r.wrong("registration", "must be open, token or off, got '" + mode + "'");
        }
        return tokenSet ? "token" : mode;
    }

    private static ResourceServerConfig resourceServer(Reader r, AuthMode auth, Settings settings) {
        Optional<String> issuer = r.optional("issuer");
        issuer.ifPresent(i -> r.httpUrl("issuer", i));
        if (auth == AuthMode.EXTERNAL && issuer.isEmpty()) {
            throw new ConfigException("--auth external needs the identity provider's issuer: --issuer URL "
                    + "(e.g. http://localhost:8080/realms/mcp), or GATEHOUSE_ISSUER.");
        }
        boolean bridge = r.bool("bridge");
        if (bridge && auth != AuthMode.EXTERNAL) {
            throw r.wrong("bridge", "only applies to --auth external (an upstream identity provider)");
        }
        Optional<URI> introspectionUrl = r.optional("introspection-url").map(v -> r.httpUrl("introspection-url", v));
        Optional<String> clientId = r.optional("introspection-client-id");
        Optional<String> clientSecret = r.optional("introspection-client-secret");
        Optional<ResourceServerConfig.Introspection> introspection = Optional.empty();
        if (introspectionUrl.isPresent() || clientId.isPresent() || clientSecret.isPresent()) {
            if (introspectionUrl.isEmpty() || clientId.isEmpty() || clientSecret.isEmpty()) {
                throw new ConfigException("Introspection needs all three of --introspection-url, --introspection-client-id "
                        + "and --introspection-client-secret.");
            }
            introspection = Optional.of(new ResourceServerConfig.Introspection(introspectionUrl.get(), clientId.get(), clientSecret.get()));
        }
        Optional<String> documentation = r.optional("resource-documentation");
        ClaimsReader claims = claims(r, auth);
        TokenTypes types = tokenTypes(r, introspection.isPresent());
        return new ResourceServerConfig(issuer, r.optional("jwks-url").map(v -> r.httpUrl("jwks-url", v)),
                r.optional("jwks-file").map(Path::of), r.optional("public-key").map(Path::of), r.list("audience"),
                introspection, claims.scopeClaim(), claims.rolesClaim(), types, r.durationOrZero("clock-skew"),
                r.integer("max-token-bytes", 256, 1 << 20), r.integer("token-cache-size", 0, 10_000_000),
                r.duration("introspection-cache-time"), r.bool("native-crypto"), r.duration("jwks-cache-time"),
                r.duration("jwks-refetch-interval"), r.duration("jwks-fetch-timeout"),
                r.text("resource-name"), documentation.map(v -> r.httpUrl("resource-documentation", v)),
                AccessConfig.parse(settings.accessSection()), auditLog(r), bridge);
    }

    /**
     * The one scope claim and the one roles claim. Gatehouse's own tokens (embedded, local-keys) carry {@code scope} and
     * {@code roles}; for external the roles default to Keycloak's {@code realm_access.roles}. The embedded server's
     * claims are its own: configuring others there is a mistake, refused.
     */
    private static ClaimsReader claims(Reader r, AuthMode auth) {
        String scope = r.text("scope-claim");
        String roles = r.optional("roles-claim").orElse(auth == AuthMode.EXTERNAL ? ClaimsReader.KEYCLOAK_ROLES : ClaimsReader.ROLES);
        if (auth == AuthMode.EMBEDDED && !scope.equals(ClaimsReader.SCOPE)) {
            throw r.wrong("scope-claim", "does not apply to --auth embedded, whose tokens carry their scopes in 'scope'");
        }
        if (auth == AuthMode.EMBEDDED && !roles.equals(ClaimsReader.ROLES)) {
            throw r.wrong("roles-claim", "does not apply to --auth embedded, whose tokens carry their roles in 'roles'");
        }
        try {
            new ClaimsReader(scope, ClaimsReader.ROLES);
        } catch (IllegalArgumentException e) {
            throw r.wrong("scope-claim", "must name one claim (no list), got '" + scope + "'");
        }
        try {
            return new ClaimsReader(scope, roles);
        } catch (IllegalArgumentException e) {
            throw r.wrong("roles-claim", "must name one claim or dotted path (no list), got '" + roles + "'");
        }
    }

    private static TokenTypes tokenTypes(Reader r, boolean introspection) {
        TokenTypes types;
        try {
            types = TokenTypes.parse(r.list("accepted-token-types"));
        } catch (IllegalArgumentException e) {
            throw r.wrong("accepted-token-types", "must list at+jwt, Bearer or unmarked, got '" + r.text("accepted-token-types") + "'");
        }
        if (introspection && !types.suitsIntrospection()) {
            throw r.wrong("accepted-token-types", "must include Bearer or unmarked with introspection, whose answers carry no "
                    + "JWT header; got '" + r.text("accepted-token-types") + "'");
        }
        return types;
    }

    private static boolean auditLog(Reader r) {
        String value = r.text("audit-log");
        return switch (value) {
            case "all" -> true;
            case "denials" -> false;
            default -> throw r.wrong("audit-log", "must be all or denials, got '" + value + "'");
        };
    }

    /** The canonical MCP URL clients use: the public URL, else the bound address as localhost. */
    public URI mcpUrl(int boundPort) {
        return transport.canonicalMcpUrl(boundPort);
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Reads typed values, falling back to each key's documented default. */
    record Reader(Settings settings) {

        String text(String key) {
            return settings.get(key).map(Settings.Value::text).orElse(ConfigKeys.key(key).defaultValue()).strip();
        }

        /** Checks a given value's form by its kind (ranges and combinations are checked where it is read). */
        void checkForm(ConfigKeys.Key key) {
            String name = key.name();
            if (settings.get(name).map(v -> v.text().isBlank()).orElse(true)) {
                return;
            }
            switch (key.kind()) {
                case NUMBER -> integer(name, Integer.MIN_VALUE, Integer.MAX_VALUE);
                case DURATION -> durationOrZero(name);
                case SWITCH -> bool(name);
                case URL -> httpUrl(name, text(name));
                case CHOICE -> {
                    String value = text(name);
                    if (key.choices().stream().noneMatch(c -> c.equalsIgnoreCase(value.replace('_', '-')))) {
                        throw wrong(name, "must be one of " + key.choices() + ", got '" + value + "'");
                    }
                }
                case TEXT, FILE, LIST, SECRET -> {
                }
            }
        }

        /** A programming error (the reading code disagrees with the definition), not a user's. */
        private static void expect(String key, ConfigKeys.Kind kind) {
            if (ConfigKeys.key(key).kind() != kind) {
                throw new IllegalStateException("setting " + key + " is defined as " + ConfigKeys.key(key).kind() + ", read as " + kind);
            }
        }

        String source(String key) {
            return settings.get(key).map(Settings.Value::source).orElse("default");
        }

        Optional<String> optional(String key) {
            String value = text(key);
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        }

        List<String> list(String key) {
            return Arrays.stream(text(key).split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        }

        int integer(String key, int min, int max) {
            expect(key, ConfigKeys.Kind.NUMBER);
            String value = text(key);
            try {
                int parsed = Integer.parseInt(value);
                if (parsed < min || parsed > max) {
                    throw wrong(key, "must be between " + min + " and " + max + ", got " + value);
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw wrong(key, "must be a whole number, got '" + value + "'");
            }
        }

        <E extends Enum<E>> E choice(String key, Class<E> type) {
            expect(key, ConfigKeys.Kind.CHOICE);
            String value = text(key);
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(value.replace('-', '_'))) {
                    return constant;
                }
            }
            throw wrong(key, "must be one of " + Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT)).toList() + ", got '" + value + "'");
        }

        boolean bool(String key) {
            expect(key, ConfigKeys.Kind.SWITCH);
            String value = text(key).toLowerCase(Locale.ROOT);
            if (value.equals("true") || value.equals("yes") || value.equals("on")) {
                return true;
            }
            if (value.equals("false") || value.equals("no") || value.equals("off")) {
                return false;
            }
            throw wrong(key, "must be true or false, got '" + value + "'");
        }

        Duration durationOrZero(String key) {
            String value = text(key).toLowerCase(Locale.ROOT);
            return value.equals("0") || value.equals("0s") ? Duration.ZERO : duration(key);
        }

        /** Accepts {@code 30s}, {@code 10m}, {@code 2h}, {@code 500ms}, plain seconds, or ISO-8601 ({@code PT30S}). */
        Duration duration(String key) {
            expect(key, ConfigKeys.Kind.DURATION);
            String value = text(key).toLowerCase(Locale.ROOT);
            try {
                Duration d;
                if (value.startsWith("pt") || value.startsWith("p")) {
                    d = Duration.parse(value.toUpperCase(Locale.ROOT));
                } else if (value.endsWith("ms")) {
                    d = Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
                } else if (value.endsWith("s")) {
                    d = Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
                } else if (value.endsWith("m")) {
                    d = Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
                } else if (value.endsWith("h")) {
                    d = Duration.ofHours(Long.parseLong(value.substring(0, value.length() - 1)));
                } else if (value.endsWith("d")) {
                    d = Duration.ofDays(Long.parseLong(value.substring(0, value.length() - 1)));
                } else {
                    d = Duration.ofSeconds(Long.parseLong(value));
                }
                if (d.isNegative() || d.isZero()) {
                    throw wrong(key, "must be positive, got '" + value + "'");
                }
                return d;
            } catch (NumberFormatException | DateTimeParseException e) {
                throw wrong(key, "must be a duration such as 30s, 10m or 2h, got '" + value + "'");
            }
        }

        URI httpUrl(String key, String value) {
            expect(key, ConfigKeys.Kind.URL);
            try {
                URI uri = new URI(value);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                    throw wrong(key, "must be an absolute http(s) URL, got '" + ConfigKeys.key(key).shown(value) + "'");
                }
                if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                    throw wrong(key, "must not have a query or fragment, got '" + ConfigKeys.key(key).shown(value) + "'");
                }
                return uri;
            } catch (URISyntaxException e) {
                throw wrong(key, "is not a valid URL: '" + ConfigKeys.key(key).shown(value) + "'");
            }
        }

        ConfigException wrong(String key, String problem) {
            return new ConfigException("Setting '" + key + "' (from " + source(key) + ") " + problem + ".");
        }
    }
}
