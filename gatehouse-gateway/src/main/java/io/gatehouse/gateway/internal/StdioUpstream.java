package io.gatehouse.gateway.internal;

import io.gatehouse.gateway.Upstream;
import io.gatehouse.gateway.UpstreamConfig;
import io.gatehouse.gateway.UpstreamHealth;
import io.gatehouse.gateway.UpstreamListener;
import io.gatehouse.gateway.UpstreamSession;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stdio upstream: one supervised child process per session (see {@link Upstream}), all sharing one health
 * record, restart backoff and stderr rate limit.
 */
public final class StdioUpstream implements Upstream {

    private final UpstreamConfig config;
    private final HealthTracker health;
    private final StderrLog stderr;
    private final Map<String, String> gatehouseEnv;
    private final Set<StdioConnection> sessions = ConcurrentHashMap.newKeySet();

    public StdioUpstream(UpstreamConfig config) {
        this(config, System.getenv(), Clock.systemUTC());
    }

    StdioUpstream(UpstreamConfig config, Map<String, String> gatehouseEnv, Clock clock) {
        this.config = config;
        this.health = new HealthTracker(config.name(), clock);
        this.stderr = new StderrLog(config.name(), clock);
        this.gatehouseEnv = Map.copyOf(gatehouseEnv);
    }

    @Override
    public UpstreamConfig config() {
        return config;
    }

    @Override
    public UpstreamSession openSession(ObjectNode clientCapabilities, UpstreamListener listener) {
        StdioConnection session = new StdioConnection(config, health, clientCapabilities, listener,
                ChildEnvironment.of(gatehouseEnv, config.env()), stderr, sessions::remove);
        sessions.add(session);
        return session;
    }

    @Override
    public UpstreamHealth health() {
        return health.snapshot();
    }

    @Override
    public void close() {
        sessions.forEach(StdioConnection::close);
    }
}
