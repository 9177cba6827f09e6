package io.gatehouse.gateway.internal;

import io.gatehouse.gateway.Upstream;
import io.gatehouse.gateway.UpstreamConfig;
import io.gatehouse.gateway.UpstreamHealth;
import io.gatehouse.gateway.UpstreamListener;
import io.gatehouse.gateway.UpstreamSession;
import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.context.DownstreamTokens;
import java.net.http.HttpClient;
import java.util.function.Supplier;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Streamable HTTP upstream: one HTTP client (the JDK's, HTTP/1.1, no redirects, no cookie store) shared by its
 * sessions, each an MCP session of its own on the upstream.
 */
public final class HttpUpstream implements Upstream {

    private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final UpstreamConfig config;
    private final HealthTracker health;
    private final HttpClient client;
    private final CredentialHeader credentials;
    private final Set<HttpConnection> sessions = ConcurrentHashMap.newKeySet();

    public HttpUpstream(UpstreamConfig config) {
        this(config, DownstreamTokens.NONE);
    }

    /** @param downstreamTokens where {@code auth: token-exchange} gets the caller's exchanged tokens */
    public HttpUpstream(UpstreamConfig config, DownstreamTokens downstreamTokens) {
        this(config, System.getenv(), Clock.systemUTC(), downstreamTokens);
    }

    HttpUpstream(UpstreamConfig config, Map<String, String> gatehouseEnv, Clock clock) {
        this(config, gatehouseEnv, clock, DownstreamTokens.NONE);
    }

    HttpUpstream(UpstreamConfig config, Map<String, String> gatehouseEnv, Clock clock, DownstreamTokens downstreamTokens) {
        this.config = config;
        this.health = new HealthTracker(config.name(), clock);
        this.credentials = new CredentialHeader(config, Map.copyOf(gatehouseEnv), clock, downstreamTokens);
        Duration connect = config.timeout().compareTo(MAX_CONNECT_TIMEOUT) < 0 ? config.timeout() : MAX_CONNECT_TIMEOUT;
        // no cookie handler: a cookie set by the upstream is never stored, and none of a client's is ever sent
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connect).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    @Override
    public UpstreamConfig config() {
        return config;
    }

    @Override
    public UpstreamSession openSession(ObjectNode clientCapabilities, UpstreamListener listener) {
        return openSession(clientCapabilities, listener, Caller::anonymous);
    }

    @Override
    public UpstreamSession openSession(ObjectNode clientCapabilities, UpstreamListener listener, Supplier<Caller> caller) {
        HttpConnection session = new HttpConnection(config, health, clientCapabilities, listener, client, credentials,
                caller, sessions::remove);
        sessions.add(session);
        return session;
    }

    @Override
    public UpstreamHealth health() {
        return health.snapshot();
    }

    @Override
    public void close() {
        sessions.forEach(HttpConnection::close);
    }
}
