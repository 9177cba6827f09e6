package io.gatehouse.transport;

import io.gatehouse.as.web.OAuthRoutes;
import io.gatehouse.mcp.json.Json;
import io.gatehouse.mcp.server.McpServer;
import io.gatehouse.mcp.server.ProtocolVersions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import tools.jackson.databind.node.ObjectNode;

/** {@code GET /health}: a JSON status for people and probes. It never contains a secret. */
final class HealthEndpoint {

    private final McpServer mcp;
    private final TransportConfig config;
    private final ObjectNode details;
    private final java.util.Optional<Protection> protection;
    private final java.util.Optional<OAuthRoutes> authorizationServer;
    private final Clock clock;
    private final Instant started;

    HealthEndpoint(McpServer mcp, TransportConfig config, ObjectNode details, java.util.Optional<Protection> protection,
                   java.util.Optional<OAuthRoutes> authorizationServer, Clock clock) {
        this.mcp = mcp;
        this.config = config;
        this.details = details.deepCopy();
        this.protection = protection;
        this.authorizationServer = authorizationServer;
        this.clock = clock;
        this.started = clock.instant();
    }

    void handle(Response response, Callback callback) {
        ObjectNode status = Json.object();
        status.put("status", "ok");
        status.setAll(details);
        status.set("protocolVersions", Json.MAPPER.valueToTree(ProtocolVersions.SUPPORTED));
        status.put("sessionMode", config.sessionMode().name().toLowerCase(java.util.Locale.ROOT));
        if (config.sessionMode() == SessionMode.STATEFUL) {
            status.put("sessions", mcp.sessions().size());
        }
        status.put("uptimeSeconds", Duration.between(started, clock.instant()).toSeconds());
        protection.ifPresent(p -> status.set("resourceServer", p.status().get()));
        // readiness: without its store the authorization server (and the revocation check of /mcp) cannot work
        java.util.Optional<Boolean> store = authorizationServer.flatMap(OAuthRoutes::storeReachable);
        store.ifPresent(up -> status.put("store", up ? "up" : "down"));
        boolean ready = store.orElse(true);
        if (!ready) {
            status.put("status", "unavailable");
        }
        response.getHeaders().put(org.eclipse.jetty.http.HttpHeader.CACHE_CONTROL, "no-store");
        HttpReplies.json(response, callback, ready ? 200 : 503, status);
    }
}
