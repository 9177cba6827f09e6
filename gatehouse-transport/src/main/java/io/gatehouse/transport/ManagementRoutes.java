package io.gatehouse.transport;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Requests that arrive on the {@link ManagementListener}'s connector: {@code GET /health} with details, and
 * nothing else (404). No browser has any business here: a request with an {@code Origin} is refused, and so is a
 * {@code Host} that does not name this listener (a rebound DNS name). Every other request goes on to the public
 * pipeline, which never serves the details.
 */
final class ManagementRoutes extends Handler.Wrapper {

    private final Connector connector;
    private final OriginHostGuard guard;
    private final HealthEndpoint health;

    ManagementRoutes(Connector connector, OriginHostGuard guard, HealthEndpoint health, Handler publicPipeline) {
        super(publicPipeline);
        this.connector = connector;
        this.guard = guard;
        this.health = health;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (request.getConnectionMetaData().getConnector() != connector) {
            return super.handle(request, response, callback);
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        OriginHostGuard.Verdict verdict = guard.check(null, request.getHeaders().get(HttpHeader.HOST));
        if (origin != null || verdict.refusal().isPresent()) {
            HttpReplies.json(response, callback, 403, error("forbidden", "Not for browsers or other hosts"));
            return true;
        }
        if (!Request.getPathInContext(request).equals("/health")) {
            HttpReplies.json(response, callback, 404, error("not_found", "The management listener serves /health only"));
        } else if (request.getMethod().equals("GET") || request.getMethod().equals("HEAD")) {
            health.handleDetails(response, callback);
        } else {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            HttpReplies.json(response, callback, 405, error("method_not_allowed", "Use GET"));
        }
        return true;
    }

    private static byte[] error(String error, String description) {
        var body = io.gatehouse.mcp.internal.json.Json.object();
        body.put("error", error);
        body.put("error_description", description);
        return io.gatehouse.mcp.internal.json.Json.MAPPER.writeValueAsBytes(body);
    }
}
