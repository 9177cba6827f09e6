package io.gatehouse.app;

import io.gatehouse.app.auth.EmbeddedAuthorization;
import io.gatehouse.app.auth.ResourceServerSetup;
import io.gatehouse.app.config.AuthMode;
import io.gatehouse.app.config.GatehouseConfig;
import io.gatehouse.app.demo.CallerTools;
import io.gatehouse.app.demo.TutorialFeatures;
import io.gatehouse.app.fixtures.ConformanceFixtures;
import io.gatehouse.as.AuthorizationServer;
import io.gatehouse.mcp.json.Json;
import io.gatehouse.mcp.server.McpServer;
import io.gatehouse.transport.GatehouseHttpServer;
import io.gatehouse.transport.SessionMode;
import java.net.URI;
import java.time.Clock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A running Gatehouse: the MCP server with its tools, behind the HTTP transport, as one configuration
 * describes. {@link #start} binds and returns once requests are served; {@link #close} shuts down gracefully.
 */
public final class Gatehouse implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gatehouse.class);

    private final GatehouseConfig config;
    private final McpServer mcp;
    private final GatehouseHttpServer http;
    private final Optional<EmbeddedAuthorization> embedded;

    private Gatehouse(GatehouseConfig config, McpServer mcp, GatehouseHttpServer http, Optional<EmbeddedAuthorization> embedded) {
        this.config = config;
        this.mcp = mcp;
        this.http = http;
        this.embedded = embedded;
    }

    public static Gatehouse start(GatehouseConfig config) throws Exception {
        Clock clock = Clock.systemUTC();
        McpServer mcp = mcpServer(config, clock);
        ObjectNode health = Json.object();
        health.put("name", "gatehouse");
        health.put("version", Version.get());
        health.put("auth", authName(config));
        Optional<EmbeddedAuthorization> embedded = config.auth() == AuthMode.EMBEDDED
                ? Optional.of(EmbeddedAuthorization.prepare(config, clock)) : Optional.empty();
        GatehouseHttpServer http = new GatehouseHttpServer(mcp, config.transport(), health,
                ResourceServerSetup.security(config, embedded, new SimpleMeterRegistry(), clock), config.management());
        try {
            http.start();
        } catch (Exception e) {
            embedded.ifPresent(EmbeddedAuthorization::close);
            throw e;
        }
        Gatehouse gatehouse = new Gatehouse(config, mcp, http, embedded);
        gatehouse.announce();
        return gatehouse;
    }

    static McpServer mcpServer(GatehouseConfig config, Clock clock) {
        McpServer.Builder builder = McpServer.builder("gatehouse", Version.get())
                .title("Gatehouse")
                .instructions("Gatehouse demo server: try the echo tool, or get the help prompt.")
                .pageSize(config.pageSize())
                .sessionIdleTimeout(config.sessionIdleTimeout())
                .sessionLimits(config.maxSessions(), config.maxSessionsPerPrincipal())
                .subscriptions(config.transport().sessionMode() == SessionMode.STATEFUL)
                .clock(clock);
        TutorialFeatures.register(builder, clock);
        CallerTools.register(builder, clock);
        if (config.fixtures().contains("conformance")) {
            ConformanceFixtures.register(builder);
        }
        return builder.accessPolicy(ResourceServerSetup.policy(config, builder.registeredTools())).build();
    }

    private void announce() {
        LOG.info("Gatehouse {} serving MCP at {} (bound {}:{}, auth {}, sessions {}{})", Version.get(), mcpUrl(),
                config.transport().host(), http.port(), authName(config),
                config.transport().sessionMode().name().toLowerCase(Locale.ROOT),
                config.fixtures().isEmpty() ? "" : ", fixtures " + String.join(",", config.fixtures()));
        http.managementPort().ifPresent(port -> LOG.info("Management listener (detailed /health) at http://{}:{}/health",
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
        embedded.ifPresent(EmbeddedAuthorization::close);
        LOG.info("Gatehouse stopped");
    }
}
