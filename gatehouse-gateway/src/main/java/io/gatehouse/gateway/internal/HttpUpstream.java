package io.gatehouse.gateway.internal;

import io.gatehouse.gateway.Upstream;
import io.gatehouse.gateway.UpstreamConfig;
import io.gatehouse.gateway.UpstreamHealth;
import io.gatehouse.gateway.UpstreamListener;
import io.gatehouse.gateway.UpstreamSession;
import java.net.http.HttpClient;
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
        this(config, System.getenv(), Clock.systemUTC());
    }

    HttpUpstream(UpstreamConfig config, Map<String, String> gatehouseEnv, Clock clock) {
        this.config = config;
        this.health = new HealthTracker(config.name(), clock);
        this.credentials = new CredentialHeader(config, Map.copyOf(gatehouseEnv), clock);
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
        HttpConnection session = new HttpConnection(config, health, clientCapabilities, listener, client, credentials,
                sessions::remove);
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
