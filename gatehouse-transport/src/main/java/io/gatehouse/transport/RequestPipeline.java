package io.gatehouse.transport;

import io.gatehouse.as.store.StoreUnavailableException;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcErrorCodes;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every HTTP request goes through these steps, in this order, on its own virtual thread:
 * <ol>
 *   <li>{@link OriginHostGuard}: 403 for a foreign {@code Origin} (except on public metadata) or, on loopback,
 *   a foreign {@code Host};</li>
 *   <li>{@link Cors}: response headers for allowed origins, and preflight answers;</li>
 *   <li>routing: public metadata documents (any origin), the embedded authorization server, the MCP endpoint (which authenticates every request
 *   and applies the access policy before dispatch), {@code /health}, else 404.</li>
 * </ol>
 * A failure inside becomes a 500 without details only when it is the server's own fault.
 */
final class RequestPipeline extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(RequestPipeline.class);

    private final TransportConfig config;
    private final OriginHostGuard guard;
    private final StreamableHttpEndpoint mcpEndpoint;
    private final HealthEndpoint health;
    private final Optional<MetadataEndpoints> metadata;
    private final Optional<AuthorizationServerRoutes> authorizationServer;

    RequestPipeline(TransportConfig config, OriginHostGuard guard, StreamableHttpEndpoint mcpEndpoint, HealthEndpoint health,
                    Optional<MetadataEndpoints> metadata, Optional<AuthorizationServerRoutes> authorizationServer) {
        this.config = config;
        this.guard = guard;
        this.mcpEndpoint = mcpEndpoint;
        this.health = health;
        this.metadata = metadata;
        this.authorizationServer = authorizationServer;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        boolean publicDocument = MetadataEndpoints.isPublicDocument(path)
                || authorizationServer.map(as -> as.isCrossOrigin(path)).orElse(false);
        String origin = publicDocument ? null : request.getHeaders().get(HttpHeader.ORIGIN);
        OriginHostGuard.Verdict verdict = guard.check(origin, request.getHeaders().get(HttpHeader.HOST));
        if (verdict.refusal().isPresent()) {
            LOG.warn("Refused {} {}: {}", request.getMethod(), path, verdict.refusal().get());
            HttpReplies.refuse(response, callback, 403, "Forbidden: " + verdict.refusal().get());
            return true;
        }
        if (origin != null && !authorizationServer.map(as -> as.owns(path)).orElse(false)) {
            Cors.allow(origin, response.getHeaders());
            if (request.getMethod().equals("OPTIONS")) {
                Cors.preflight(response.getHeaders());
                HttpReplies.empty(response, callback, 204);
                return true;
            }
        }
        try {
            route(request, response, callback);
        } catch (StoreUnavailableException e) {
            // a store the request needed is down: not the client's fault, and not a bug either
            LOG.warn("{} {}: the store is unavailable: {}", request.getMethod(), path, e.getMessage());
            if (!response.isCommitted()) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, String.valueOf(HttpReplies.STORE_RETRY_AFTER_SECONDS));
                HttpReplies.refuse(response, callback, 503, "Service Unavailable: storage cannot be reached; try again shortly");
            } else {
                callback.failed(e);
            }
        } catch (Exception e) {
            // a bug: one line with the stack trace; a client's mistake never gets here (it is answered 4xx where found)
            LOG.error("Unexpected failure serving {} {}", request.getMethod(), path, e);
            if (!response.isCommitted()) {
                unexpectedFailure(path, response, callback);
            } else {
                callback.failed(e);
            }
        }
        return true;
    }

    /**
     * The 500 for a bug, in the body the route speaks: JSON-RPC "Internal error" on the MCP endpoint, OAuth
     * {@code server_error} on the authorization server's routes, the transport's JSON error elsewhere; no details.
     */
    private void unexpectedFailure(String path, Response response, Callback callback) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (path.equals(config.mcpPath())) {
            HttpReplies.rpcError(response, callback, 500, null, JsonRpcErrorCodes.INTERNAL_ERROR, "Internal error");
        } else if (authorizationServer.map(as -> as.owns(path)).orElse(false)) {
            HttpReplies.json(response, callback, 500, "{\"error\":\"server_error\"}".getBytes(StandardCharsets.UTF_8));
        } else {
            HttpReplies.json(response, callback, 500, errorBody("server_error", "The server failed to answer this request"));
        }
    }

    private void route(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (metadata.isPresent() && metadata.get().handle(path, request.getMethod(), response, callback)) {
            return;
        }
        if (authorizationServer.isPresent() && authorizationServer.get().handle(request, response, callback)) {
            return;
        }
        if (path.equals(config.mcpPath())) {
            mcpEndpoint.handle(request, response, callback);
        } else if (path.equals("/health")) {
            if (request.getMethod().equals("GET") || request.getMethod().equals("HEAD")) {
                health.handle(response, callback);
            } else {
                response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
                HttpReplies.json(response, callback, 405, errorBody("method_not_allowed", "Use GET"));
            }
        } else {
            HttpReplies.json(response, callback, 404, errorBody("not_found", "No such endpoint"));
        }
    }

    private static byte[] errorBody(String error, String description) {
        var body = io.gatehouse.mcp.internal.json.Json.object();
        body.put("error", error);
        body.put("error_description", description);
        return io.gatehouse.mcp.internal.json.Json.MAPPER.writeValueAsBytes(body);
    }
}
