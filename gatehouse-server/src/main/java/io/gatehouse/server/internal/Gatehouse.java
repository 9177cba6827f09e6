package io.gatehouse.server.internal;

import io.gatehouse.server.internal.auth.EmbeddedAuthorization;
import io.gatehouse.server.internal.downstream.DownstreamTokenService;
import io.gatehouse.mcp.context.DownstreamTokens;
import java.util.concurrent.atomic.AtomicReference;
import io.gatehouse.server.internal.auth.RequestStateKeyFile;
import io.gatehouse.mcp.internal.mrtr.RequestStateKey;
import io.gatehouse.server.internal.auth.ResourceServerSetup;
import io.gatehouse.server.internal.auth.ServerScopes;
import io.gatehouse.server.internal.config.AuthMode;
import io.gatehouse.server.internal.config.GatehouseConfig;
import io.gatehouse.server.internal.logging.GatehouseLogging;
import io.gatehouse.server.internal.logging.LogFormat;
import io.gatehouse.as.AuthorizationServer;
import io.gatehouse.gateway.UpstreamHealth;
import io.gatehouse.gateway.UpstreamRelay;
import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.internal.server.McpServer;
import io.gatehouse.transport.GatehouseHttpServer;
import io.gatehouse.transport.SessionMode;
import java.net.URI;
import java.time.Clock;
import io.gatehouse.server.internal.metrics.GatehouseMetrics;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A running Gatehouse: the MCP server with the features it was given, behind the HTTP transport, as one configuration
 * describes. {@link #start} binds and returns once requests are served; {@link #close} shuts down gracefully. Both
 * {@code gatehouse serve} (the tutorial's tools) and a library {@code GatehouseServer} (the user's own) run through here.
 */
public final class Gatehouse implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gatehouse.class);
    /** How long a failed upstream keeps its node unready: the gateway's longest restart backoff. */
    private static final java.time.Duration UPSTREAM_DOWN_FOR_READINESS = java.time.Duration.ofSeconds(30);

    private final GatehouseConfig config;
    private final McpServer mcp;
    private final GatehouseHttpServer http;
    private final Optional<EmbeddedAuthorization> embedded;
    private final Optional<UpstreamRelay> relay;
    private final LogFormat logFormatBefore;
    private final GatehouseMetrics metrics;

    private Gatehouse(GatehouseConfig config, McpServer mcp, GatehouseHttpServer http, Optional<EmbeddedAuthorization> embedded,
                      Optional<UpstreamRelay> relay, LogFormat logFormatBefore, GatehouseMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.logFormatBefore = logFormatBefore;
        this.mcp = mcp;
        this.http = http;
        this.embedded = embedded;
        this.relay = relay;
    }

    /**
     * What a Gatehouse serves over MCP: its {@code serverInfo} name and version, and what it registers on the MCP
     * server builder (title, instructions, tools, prompts, resources). The transport, sessions and access policy are
     * the runtime's.
     */
    public record Features(String name, String version, Registration registration) {
    }

    /** Registers a server's features on the MCP server builder; {@code clock} is the server's. */
    @FunctionalInterface
    public interface Registration {
        void register(McpServer.Builder builder, Clock clock);
    }

    /**
     * Starts serving {@code features}, or, when upstreams are configured, the upstreams' features as a gateway (the
     * upstreams are contacted only when clients arrive: Gatehouse starts even when they are not up yet).
     */
    public static Gatehouse start(GatehouseConfig config, Features features) throws Exception {
        LogFormat logFormatBefore = GatehouseLogging.useFormat(config.logFormat());
        try {
            return start(config, features, logFormatBefore);
        } catch (Exception | Error e) {
            GatehouseLogging.useFormat(logFormatBefore);
            throw e;
        }
    }

    private static Gatehouse start(GatehouseConfig config, Features features, LogFormat logFormatBefore) throws Exception {
        Clock clock = Clock.systemUTC();
        // the embedded server is looked up when a token is first exchanged, by then it runs
        AtomicReference<Optional<EmbeddedAuthorization>> embeddedLater = new AtomicReference<>(Optional.empty());
        DownstreamTokenService downstreams = DownstreamTokenService.of(config.downstreams(),
                () -> embeddedLater.get().flatMap(EmbeddedAuthorization::server), clock);
        Optional<UpstreamRelay> relay = config.upstreams().isEmpty() ? Optional.empty()
                : Optional.of(UpstreamRelay.of(config.upstreams(), downstreams));
        Optional<EmbeddedAuthorization> embedded = config.auth() == AuthMode.EMBEDDED
                ? Optional.of(EmbeddedAuthorization.prepare(config, clock)) : Optional.empty();
        embeddedLater.set(embedded);
        McpServer mcp;
        try {
            // with the embedded authorization server, its database holds the requestState key every node shares
            mcp = mcpServer(config, features, relay, downstreams, clock, embedded.<RequestStateKey>map(EmbeddedAuthorization::requestStateKey)
                    .orElseGet(() -> new RequestStateKeyFile(config.dataDir())));
        } catch (RuntimeException | Error e) {
            embedded.ifPresent(EmbeddedAuthorization::close);
            throw e;
        }
        ObjectNode health = Json.object();
        health.put("name", "gatehouse");
        health.put("version", Version.get());
        health.put("auth", authName(config));
        GatehouseMetrics metrics = new GatehouseMetrics();
        GatehouseHttpServer http;
        try {
            http = new GatehouseHttpServer(mcp, config.transport(), () -> healthDetails(health, relay),
                    ResourceServerSetup.security(config, embedded, ServerScopes.of(mcp.declaredScopes(), config.resourceServer().access()),
                            metrics.registry(), clock), config.management(), metrics.serverMetrics(),
                    () -> upstreamsHealthy(relay, clock));
            http.start();
        } catch (Exception e) {
            embedded.ifPresent(EmbeddedAuthorization::close);
            relay.ifPresent(UpstreamRelay::close);
            metrics.close();
            throw e;
        }
        Gatehouse gatehouse = new Gatehouse(config, mcp, http, embedded, relay, logFormatBefore, metrics);
        try {
            gatehouse.announce();
        } catch (RuntimeException e) {
            gatehouse.close(); // a server that failed to start holds no port, no upstream and no database
            throw e;
        }
        return gatehouse;
    }

    /**
     * Readiness's view of the upstreams: none failed in the last {@link #UPSTREAM_DOWN_FOR_READINESS} (one not contacted
     * yet counts as up). An older failure no longer counts: upstreams are contacted only when clients arrive, so a node
     * kept out of the load balancer for good could never see its upstream come back.
     */
    private static boolean upstreamsHealthy(Optional<UpstreamRelay> relay, Clock clock) {
        java.time.Instant recent = clock.instant().minus(UPSTREAM_DOWN_FOR_READINESS);
        return relay.map(r -> r.health().stream().noneMatch(h -> h.state() == UpstreamHealth.State.DOWN
                && h.lastErrorAt().map(at -> at.isAfter(recent)).orElse(true))).orElse(true);
    }

    /** The detailed {@code /health}'s own fields, with each upstream's state as its sessions last saw it. */
    private static ObjectNode healthDetails(ObjectNode fixed, Optional<UpstreamRelay> relay) {
        ObjectNode details = fixed.deepCopy();
        relay.ifPresent(r -> {
            var upstreams = details.putArray("upstreams");
            for (UpstreamHealth h : r.health()) {
                ObjectNode one = upstreams.addObject();
                one.put("name", h.name());
                one.put("state", h.state().name().toLowerCase(Locale.ROOT));
                one.put("openSessions", h.openSessions());
                one.put("consecutiveFailures", h.consecutiveFailures());
                h.lastError().ifPresent(e -> one.put("lastError", e));
                h.lastErrorAt().ifPresent(t -> one.put("lastErrorAt", t.toString()));
            }
        });
        return details;
    }

    private static McpServer mcpServer(GatehouseConfig config, Features features, Optional<UpstreamRelay> relay,
                                       DownstreamTokens downstreams, Clock clock, RequestStateKey requestStateKey) {
        McpServer.Builder builder = McpServer.builder(features.name(), features.version())
                .pageSize(config.pageSize())
                .sessionIdleTimeout(config.sessionIdleTimeout())
                .sessionLimits(config.maxSessions(), config.maxSessionsPerPrincipal())
                .subscriptions(config.transport().sessionMode() == SessionMode.STATEFUL)
                .requestStateKey(requestStateKey)
                .downstreamTokens(downstreams)
                .clock(clock);
        relay.ifPresentOrElse(builder::relay, () -> features.registration().register(builder, clock));
        return builder.accessPolicy(ResourceServerSetup.policy(config)).build();
    }

    private void announce() {
        config.upstreams().forEach(u -> LOG.info("Guarding upstream '{}' ({} {}{})", u.name(), u.kind().configName(),
                u.shownUrl().orElseGet(() -> u.command().getFirst()),
                u.toolPrefix().isEmpty() ? "" : ", prefix " + u.toolPrefix()));
        LOG.info("Gatehouse {} serving MCP at {} (bound {}:{}, auth {}, sessions {}{})", Version.get(), mcpUrl(),
                config.transport().host(), http.port(), authName(config),
                config.transport().sessionMode().name().toLowerCase(Locale.ROOT),
                config.fixtures().isEmpty() ? "" : ", fixtures " + String.join(",", config.fixtures()));
        http.managementPort().ifPresent(port -> LOG.info("Management listener (detailed /health, /metrics) at http://{}:{}/health",
                config.management().orElseThrow().host(), port));
        if (config.auth() == AuthMode.NONE) {
            LOG.warn("AUTHENTICATION IS OFF (--auth none): anyone who can reach {} can call every tool. "
                    + "Use this only for local development.", mcpUrl());
        }
    }

    private static String authName(GatehouseConfig config) {
        return config.auth().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The canonical MCP URL clients use. */
    public URI mcpUrl() {
        return config.mcpUrl(http.port());
    }

    public int port() {
        return http.port();
    }

    /** The embedded authorization server, when {@code --auth embedded}. */
    public Optional<AuthorizationServer> authorizationServer() {
        return embedded.flatMap(EmbeddedAuthorization::server);
    }

    /** The management listener's port (detailed {@code /health}), when one is configured. */
    public Optional<Integer> managementPort() {
        return http.managementPort();
    }

    public McpServer mcp() {
        return mcp;
    }

    public void join() throws InterruptedException {
        http.join();
    }

    @Override
    public void close() throws Exception {
        http.stop();
        relay.ifPresent(UpstreamRelay::close);
        embedded.ifPresent(EmbeddedAuthorization::close);
        metrics.close();
        LOG.info("Gatehouse stopped");
        GatehouseLogging.useFormat(logFormatBefore);
    }
}
