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
 * The health paths, in two forms. {@code /health/live}: 200 while the process serves (a liveness probe; never 503,
 * not even while draining). {@code /health/ready} and {@code /health}: 200 {@code {"status":"ok"}} while this node
 * should be sent requests, else 503 with {@code "stopping"} or {@code "unavailable"} ({@link Readiness} decides). On
 * the public listener, for load balancers and anyone: the status word only, nothing an attacker could use (no
 * version, no session count, no issuer, not which check failed). On the management listener, for operators: the
 * same status and the details (version and auth mode, protocol revisions, session mode and count, uptime, MCP requests served (which node a load balancer sent them to), the
 * readiness checks, the resource server's issuer, key source and signature provider, and each upstream's state when
 * it is a gateway). Neither ever contains a secret.
 */
final class HealthEndpoint {

    /** The paths served, on both listeners. */
    static final java.util.List<String> PATHS = java.util.List.of("/health", "/health/live", "/health/ready");

    private final McpServer mcp;
    private final TransportConfig config;
    private final java.util.function.Supplier<ObjectNode> details;
    private final java.util.Optional<Protection> protection;
    private final java.util.function.LongSupplier mcpRequests;
    private final Readiness readiness;
    private final Clock clock;
    private final Instant started;

    HealthEndpoint(McpServer mcp, TransportConfig config, java.util.function.Supplier<ObjectNode> details, java.util.Optional<Protection> protection,
                   java.util.function.LongSupplier mcpRequests, Readiness readiness, Clock clock) {
        this.mcpRequests = mcpRequests;
        this.mcp = mcp;
        this.config = config;
        this.details = details;
        this.protection = protection;
        this.readiness = readiness;
        this.clock = clock;
        this.started = clock.instant();
    }

    /** From now on readiness is 503 "stopping", so load balancers stop sending requests. */
    void stopping() {
        readiness.stopping();
    }

    /** The public form of {@code path}: status only. */
    void handle(String path, Response response, Callback callback) {
        ObjectNode status = Json.object();
        status.put("status", path.equals("/health/live") ? "ok" : readiness.status());
        reply(response, callback, status);
    }

    /** The management form of {@code path}: status and details. */
    void handleDetails(String path, Response response, Callback callback) {
        if (path.equals("/health/live")) {
            handle(path, response, callback);
            return;
        }
        ObjectNode status = readiness.details();
        status.setAll(details.get());
        status.set("protocolVersions", Json.MAPPER.valueToTree(ProtocolVersions.SUPPORTED));
        status.put("sessionMode", config.sessionMode().name().toLowerCase(java.util.Locale.ROOT));
        if (config.sessionMode() == SessionMode.STATEFUL) {
            status.put("sessions", mcp.sessions().size());
        }
        status.put("uptimeSeconds", Duration.between(started, clock.instant()).toSeconds());
        status.put("mcpRequests", mcpRequests.getAsLong());
        protection.ifPresent(p -> status.set("resourceServer", p.status().get()));
        reply(response, callback, status);
    }

    private void reply(Response response, Callback callback, ObjectNode status) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        HttpReplies.json(response, callback, status.get("status").asString().equals("ok") ? 200 : 503, status);
    }
}
