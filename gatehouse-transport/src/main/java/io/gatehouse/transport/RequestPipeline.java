package io.gatehouse.transport;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every HTTP request on the public listener goes through these steps, in this order, on its own virtual thread:
 * <ol>
 *   <li>ids ({@link RequestIds}): a request id in the log context and the {@code X-Request-Id} response header, and
 *   the W3C {@code traceparent}'s trace id when valid; every line logged on the request's thread carries them, and
 *   they are cleared when the request is done;</li>
 *   <li>route: the path's entry in the {@link Routes} table (endpoint, methods, CORS kind, error dialect);</li>
 *   <li>guard ({@link OriginHostGuard}): 403 for a foreign {@code Origin} (unless the route answers any origin) or,
 *   on loopback, a foreign {@code Host};</li>
 *   <li>CORS ({@link Cors}): the route's response headers, and the answer to a preflight;</li>
 *   <li>method: 405 with {@code Allow} for a method the route does not serve;</li>
 *   <li>the endpoint; the MCP endpoint goes on with its own steps: authenticate, parse, authorize, dispatch,
 *   render ({@link StreamableHttpEndpoint}).</li>
 * </ol>
 * A step that refuses throws a {@link Refusal}; the {@link RefusalWriter} writes it, here and nowhere else. A store
 * that cannot be reached is a 503; any other failure is a bug, a 500 without details.
 */
final class RequestPipeline extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(RequestPipeline.class);

    private final OriginHostGuard guard;
    private final Routes routes;
    private final RefusalWriter refusals;

    RequestPipeline(OriginHostGuard guard, Routes routes, RefusalWriter refusals) {
        this.guard = guard;
        this.routes = routes;
        this.refusals = refusals;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        RequestIds.begin(request.getHeaders(), response.getHeaders());
        try {
            serve(request, response, callback);
        } finally {
            RequestIds.clear();
        }
        return true;
    }

    private void serve(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        Routes.Route route = routes.find(path);
        try {
            String origin = guard(route, request, path);
            if (Cors.apply(route.cors(), origin, request.getMethod(), route.allow(), response.getHeaders())) {
                HttpReplies.empty(response, callback, 204);
                return;
            }
            route.checkMethod(request.getMethod());
            if (!route.endpoint().serve(request, response, callback)) {
                throw Refusal.of(404, "No such endpoint");
            }
        } catch (Refusal refusal) {
            refuse(refusal, route, request, response, callback);
        } catch (StorageUnavailableException e) {
            // a store the request needed is down: not the client's fault, and not a bug either
            LOG.warn("{} {}: the store is unavailable: {}", request.getMethod(), path, e.getMessage());
            refuse(Refusal.storageUnavailable(), route, request, response, callback);
        } catch (Exception e) {
            // a bug: one line with the stack trace; a client's mistake never gets here (it is a Refusal)
            LOG.error("Unexpected failure serving {} {}", request.getMethod(), path, e);
            if (!response.isCommitted()) {
                refusals.writeFailure(route.dialect(), ModernRequest.declaredBy(request.getHeaders()), response, callback);
            } else {
                callback.failed(e);
            }
        }
    }

    /** Returns the request's {@code Origin} as CORS will see it: null when it sent none or the route answers any origin. */
    private String guard(Routes.Route route, Request request, String path) {
        String origin = route.cors() == Cors.Kind.ANY_ORIGIN ? null : request.getHeaders().get(HttpHeader.ORIGIN);
        OriginHostGuard.Verdict verdict = guard.check(origin, request);
        if (verdict.refusal().isPresent()) {
            LOG.warn("Refused {} {}: {}", request.getMethod(), path, verdict.refusal().get());
            throw Refusal.of(403, "Forbidden: " + verdict.refusal().get());
        }
        return origin;
    }

    /**
     * Writes a refusal. One that answers a request declaring MCP 2026-07-28 never carries {@code "id": null}, even
     * when it is written before the body is read (a bad Origin, a missing token): the id is left out instead (B-3).
     */
    private void refuse(Refusal refusal, Routes.Route route, Request request, Response response, Callback callback) {
        if (response.isCommitted()) {
            callback.failed(refusal);
        } else {
            Refusal answer = ModernRequest.declaredBy(request.getHeaders()) ? refusal.withoutNullId() : refusal;
            refusals.write(answer, route.dialect(), response, callback);
        }
    }
}
