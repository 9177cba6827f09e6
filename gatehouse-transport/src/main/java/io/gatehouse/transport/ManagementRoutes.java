package io.gatehouse.transport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Requests that arrive on the {@link ManagementListener}'s connector: the health paths with details,
 * {@code GET /metrics} when metrics are exposed ({@link ServerMetrics.MetricsExposition}), and nothing else (404). No
 * browser has any business here: a request with an {@code Origin} is refused, and so is a
 * {@code Host} that does not name this listener (a rebound DNS name). Every other request goes on to the public
 * pipeline, which never serves the details. Refusals are written by the {@link RefusalWriter}, in the plain body.
 */
final class ManagementRoutes extends Handler.Wrapper {

    private static final RefusalWriter REFUSALS = new RefusalWriter(Optional.empty());

    private final Connector connector;
    private final OriginHostGuard guard;
    private final HealthEndpoint health;
    private final Optional<ServerMetrics.MetricsExposition> metrics;

    ManagementRoutes(Connector connector, OriginHostGuard guard, HealthEndpoint health, Handler publicPipeline) {
        this(connector, guard, health, Optional.empty(), publicPipeline);
    }

    ManagementRoutes(Connector connector, OriginHostGuard guard, HealthEndpoint health,
                     Optional<ServerMetrics.MetricsExposition> metrics, Handler publicPipeline) {
        super(publicPipeline);
        this.connector = connector;
        this.guard = guard;
        this.health = health;
        this.metrics = metrics;
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
        OriginHostGuard.Verdict verdict = guard.check(null, request);
        if (request.getHeaders().get(HttpHeader.ORIGIN) != null || verdict.refusal().isPresent()) {
            throw Refusal.of(403, "Not for browsers or other hosts");
        }
        String path = Request.getPathInContext(request);
        boolean metricsPath = path.equals("/metrics") && metrics.isPresent();
        if (!HealthEndpoint.PATHS.contains(path) && !metricsPath) {
            throw Refusal.of(404, "The management listener serves /health, /health/live, /health/ready"
                    + (metrics.isPresent() ? " and /metrics" : "") + " only");
        }
        if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
            throw Refusal.methodNotAllowed("GET, HEAD", "Use GET");
        }
        if (metricsPath) {
            scrape(request, response, callback);
        } else {
            health.handleDetails(path, response, callback);
        }
    }

    /** {@code GET /metrics}: the exposition in the format the scraper accepts (Prometheus text unless it asks otherwise). */
    private void scrape(Request request, Response response, Callback callback) {
        ServerMetrics.MetricsExposition.Scrape scrape = metrics.orElseThrow().scrape(request.getHeaders().get(HttpHeader.ACCEPT));
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, scrape.contentType());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(scrape.body().getBytes(StandardCharsets.UTF_8)), callback);
    }
}
