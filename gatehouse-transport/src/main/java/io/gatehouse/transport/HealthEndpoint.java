package io.gatehouse.transport;

import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.internal.server.McpServer;
import io.gatehouse.mcp.internal.server.ProtocolVersions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /health} in two forms. On the public listener, for probes and anyone: only whether the server is
 * serving, {@code {"status":"ok"}}, or 503 {@code {"status":"stopping"}} once it is shutting down; nothing an
 * attacker could use (no version, no session count, no issuer). On the management listener, for operators: the
 * same status and the details (version and auth mode, protocol revisions, session mode and count, uptime, the
 * resource server's issuer, key source and signature provider, and each upstream's state when it is a gateway). Neither ever contains a secret.
 */
final class HealthEndpoint {

    private final McpServer mcp;
    private final TransportConfig config;
    private final java.util.function.Supplier<ObjectNode> details;
    private final java.util.Optional<Protection> protection;
    private final java.util.Optional<OAuthEndpoints> authorizationServer;
    private final Clock clock;
    private final Instant started;
    private volatile boolean stopping;

    HealthEndpoint(McpServer mcp, TransportConfig config, java.util.function.Supplier<ObjectNode> details, java.util.Optional<Protection> protection,
                   java.util.Optional<OAuthEndpoints> authorizationServer, Clock clock) {
        this.mcp = mcp;
        this.config = config;
        this.details = details;
        this.protection = protection;
        this.authorizationServer = authorizationServer;
        this.clock = clock;
        this.started = clock.instant();
    }

    /** From now on the status is 503 "stopping", so load balancers stop sending requests. */
    void stopping() {
        stopping = true;
    }

    /** The public form: status only. */
    void handle(Response response, Callback callback) {
        reply(response, callback, status());
    }

    /** The management form: status and details. */
    void handleDetails(Response response, Callback callback) {
        ObjectNode status = status();
        status.setAll(details.get());
        status.set("protocolVersions", Json.MAPPER.valueToTree(ProtocolVersions.SUPPORTED));
        status.put("sessionMode", config.sessionMode().name().toLowerCase(java.util.Locale.ROOT));
        if (config.sessionMode() == SessionMode.STATEFUL) {
            status.put("sessions", mcp.sessions().size());
        }
        status.put("uptimeSeconds", Duration.between(started, clock.instant()).toSeconds());
        protection.ifPresent(p -> status.set("resourceServer", p.status().get()));
        storeReachable().ifPresent(up -> status.put("store", up ? "up" : "down"));
        reply(response, callback, status);
    }

    /**
     * ok, stopping, or unavailable while the authorization server's store cannot be reached (readiness: without it
     * neither the OAuth endpoints nor the revocation check of /mcp can work).
     */
    private ObjectNode status() {
        ObjectNode status = Json.object();
        status.put("status", stopping ? "stopping" : storeReachable().orElse(true) ? "ok" : "unavailable");
        return status;
    }

    private java.util.Optional<Boolean> storeReachable() {
        return authorizationServer.flatMap(OAuthEndpoints::storeReachable);
    }

    private void reply(Response response, Callback callback, ObjectNode status) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        HttpReplies.json(response, callback, status.get("status").asString().equals("ok") ? 200 : 503, status);
    }
}
