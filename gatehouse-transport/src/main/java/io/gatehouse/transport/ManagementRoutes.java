package io.gatehouse.transport;

import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Requests that arrive on the {@link ManagementListener}'s connector: the health paths with details, and
 * nothing else (404). No browser has any business here: a request with an {@code Origin} is refused, and so is a
 * {@code Host} that does not name this listener (a rebound DNS name). Every other request goes on to the public
 * pipeline, which never serves the details. Refusals are written by the {@link RefusalWriter}, in the plain body.
 */
final class ManagementRoutes extends Handler.Wrapper {

    private static final RefusalWriter REFUSALS = new RefusalWriter(Optional.empty());

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
        try {
            serve(request, response, callback);
        } catch (Refusal refusal) {
            REFUSALS.write(refusal, RefusalWriter.Dialect.PLAIN, response, callback);
        }
        return true;
    }

    private void serve(Request request, Response response, Callback callback) {
        OriginHostGuard.Verdict verdict = guard.check(null, request.getHeaders().get(HttpHeader.HOST));
        if (request.getHeaders().get(HttpHeader.ORIGIN) != null || verdict.refusal().isPresent()) {
            throw Refusal.of(403, "Not for browsers or other hosts");
        }
        String path = Request.getPathInContext(request);
        if (!HealthEndpoint.PATHS.contains(path)) {
            throw Refusal.of(404, "The management listener serves /health, /health/live and /health/ready only");
        }
        if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
            throw Refusal.methodNotAllowed("GET, HEAD", "Use GET");
        }
        health.handleDetails(path, response, callback);
    }
}
