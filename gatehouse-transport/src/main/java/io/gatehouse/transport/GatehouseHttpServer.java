package io.gatehouse.transport;

import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.internal.server.McpServer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Gatehouse's HTTP server: Jetty 12 core handlers, each request on a virtual thread, serving the MCP endpoint
 * and {@code /health} through the {@link RequestPipeline}, and, on an optional second listener for operators
 * ({@link ManagementListener}), the detailed {@code /health}. {@link #stop()} drains the node for a rolling restart
 * (see there).
 */
public final class GatehouseHttpServer {

    private static final Logger LOG = LoggerFactory.getLogger(GatehouseHttpServer.class);
    /** How long shutdown waits for {@code subscriptions/listen} streams to send their final result. */
    private static final Duration SUBSCRIPTIONS_GRACE = Duration.ofSeconds(2);
    /** How long shutdown waits for requests in flight once it stopped accepting. */
    private static final Duration IN_FLIGHT_GRACE = Duration.ofSeconds(5);

    private final McpServer mcp;
    private final TransportConfig config;
    private final Supplier<ObjectNode> healthDetails;
    private final Function<URI, Security> security;
    private final Optional<ManagementListener> management;
    private final ServerMetrics metrics;
    private final BooleanSupplier upstreamsHealthy;
    private Server jetty;
    private ServerConnector connector;
    private ServerConnector managementConnector;
    private HealthEndpoint health;
    private StreamableHttpEndpoint endpoint;
    private ScheduledExecutorService janitor;

    /**
     * @param healthDetails extra fields for {@code /health} (version, auth mode, ...); never secrets
     * @param security      how to protect the endpoint (and which authorization server to serve), given its
     *                      canonical URL once the port is bound; {@link Security#NONE} for no authentication
     */
    public GatehouseHttpServer(McpServer mcp, TransportConfig config, ObjectNode healthDetails,
                               Function<URI, Security> security) {
        this(mcp, config, healthDetails, security, Optional.empty());
    }

    /**
     * @param management where to serve the detailed {@code /health} for operators; empty for nowhere (the public
     *                   {@code /health} only ever says whether the server is serving)
     */
    public GatehouseHttpServer(McpServer mcp, TransportConfig config, ObjectNode healthDetails,
                               Function<URI, Security> security, Optional<ManagementListener> management) {
        this(mcp, config, constant(healthDetails), security, management);
    }

    /**
     * @param healthDetails what the detailed {@code /health} adds, asked for at each request (e.g. the state of
     *                      upstreams); never secrets
     */
    public GatehouseHttpServer(McpServer mcp, TransportConfig config, Supplier<ObjectNode> healthDetails,
                               Function<URI, Security> security, Optional<ManagementListener> management) {
        this(mcp, config, healthDetails, security, management, ServerMetrics.unexposed(), () -> true);
    }

    /**
     * @param metrics          where requests, sessions, streams and Jetty are measured, and what the management
     *                         listener's {@code GET /metrics} serves (never the public listener)
     * @param upstreamsHealthy whether every upstream whose features this server relays is healthy (a gateway), asked
     *                         at each readiness check; {@code () -> true} when there are none
     */
    public GatehouseHttpServer(McpServer mcp, TransportConfig config, Supplier<ObjectNode> healthDetails,
                               Function<URI, Security> security, Optional<ManagementListener> management, ServerMetrics metrics,
                               BooleanSupplier upstreamsHealthy) {
        this.metrics = metrics;
        this.upstreamsHealthy = upstreamsHealthy;
        this.mcp = mcp;
        this.config = config;
        this.healthDetails = healthDetails;
        this.security = security;
        this.management = management;
    }

    private static Supplier<ObjectNode> constant(ObjectNode details) {
        ObjectNode copy = details.deepCopy();
        return copy::deepCopy;
    }

    /** An unprotected server (authentication off). */
    public GatehouseHttpServer(McpServer mcp, TransportConfig config) {
        this(mcp, config, Json.object(), url -> Security.NONE);
    }

    public synchronized void start() throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("gatehouse");
        // named: thread dumps and log lines say what they are (and logback need not look the name up by reflection)
        threads.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("request-", 0).factory()));
        jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(config.maxHeaderBytes());
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // Jetty caches header values per connection; distinct bearer tokens would churn that cache on every request
        http.setHeaderCacheSize(256);
        connector = config.tls().map(tls -> TlsConnector.create(jetty, http, tls))
                .orElseGet(() -> new ServerConnector(jetty, new HttpConnectionFactory(http)));
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setIdleTimeout(config.idleTimeout().toMillis());
        jetty.addConnector(connector);
        jetty.setStopTimeout(IN_FLIGHT_GRACE.toMillis());
        jetty.setErrorHandler(new FixedErrorHandler());
        connector.open();
        if (management.isPresent()) {
            managementConnector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
            managementConnector.setName("management");
            managementConnector.setHost(management.get().host());
            managementConnector.setPort(management.get().port());
            managementConnector.setIdleTimeout(config.idleTimeout().toMillis());
            jetty.addConnector(managementConnector);
            managementConnector.open();
        }
        OriginHostGuard guard = OriginHostGuard.forServer(config, connector.getLocalPort());
        Security secured = security.apply(mcpUri());
        Optional<Protection> protect = secured.resourceServer();
        endpoint = new StreamableHttpEndpoint(mcp, config, protect, metrics.registry());
        health = new HealthEndpoint(mcp, config, healthDetails, protect, endpoint::requestsServed,
                new Readiness(secured.authorizationServer(), upstreamsHealthy), Clock.systemUTC());
        JettyMetrics.bind(metrics.registry(), threads, connector);
        Routes routes = new Routes(config, endpoint, health,
                protect.map(MetadataEndpoints::new), secured.authorizationServer().map(as -> new AuthorizationServerRoutes(as, new ClientAddress(config.trustedProxies()))));
        Handler pipeline = new RequestPipeline(guard, routes, new RefusalWriter(protect.map(Protection::challenges)));
        // GracefulHandler counts the requests in flight: stop waits for them (up to the stop timeout) and goes on as soon
        // as they are done
        jetty.setHandler(new GracefulHandler(managementConnector == null ? pipeline : new ManagementRoutes(managementConnector,
                OriginHostGuard.forManagement(management.get(), managementConnector.getLocalPort()), health, metrics.exposition(),
                pipeline)));
        jetty.start();
        janitor = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("session-janitor").factory());
        janitor.scheduleAtFixedRate(() -> {
            int ended = mcp.sessions().expireIdle();
            if (ended > 0) {
                LOG.info("Ended {} idle session(s)", ended);
            }
            try {
                secured.authorizationServer().ifPresent(OAuthEndpoints::maintain);
            } catch (RuntimeException e) {
                // a task that throws is never run again: a database outage must not end housekeeping for good
                LOG.warn("Authorization server housekeeping failed; trying again in a minute: {}", e.getMessage());
            }
        }, 1, 1, TimeUnit.MINUTES);
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The port of the management listener, when there is one. */
    public Optional<Integer> managementPort() {
        return Optional.ofNullable(managementConnector).map(ServerConnector::getLocalPort);
    }

    /** The MCP endpoint's canonical URL: the public URL, else {@code http(s)://localhost:<bound port>/mcp}. */
    public URI mcpUri() {
        return config.canonicalMcpUrl(port());
    }

    /**
     * Drains this node, for a rolling restart that loses no request, in this order: readiness answers 503 at once
     * (load balancers stop sending requests); the server keeps serving for the configured drain time, so they notice
     * before the listener closes; the {@code subscriptions/listen} streams end with their final result; the sessions
     * end (their GET streams close; their requests still running answer); the listeners stop accepting, and requests
     * in flight finish, for up to {@link #IN_FLIGHT_GRACE}; then everything closes.
     */
    public synchronized void stop() throws Exception {
        if (jetty == null) {
            return;
        }
        if (health != null) {
            health.stopping();
            drain(config.shutdownDrain());
        }
        if (janitor != null) {
            janitor.shutdownNow();
        }
        if (endpoint != null) {
            endpoint.endSubscriptions(SUBSCRIPTIONS_GRACE);
        }
        mcp.sessions().endAllLettingRunningAnswer();
        jetty.stop(); // Jetty stops accepting, waits for GracefulHandler's requests in flight, then closes
        jetty = null;
    }

    private static void drain(Duration time) throws InterruptedException {
        if (time.isPositive()) {
            LOG.info("Draining: /health/ready answers 503; still serving for {}", time);
            Thread.sleep(time); // a deliberate delay for the load balancers' checks, not a wait for an event
        }
    }

    public void join() throws InterruptedException {
        Server server = jetty;
        if (server != null) {
            server.join();
        }
    }
}
