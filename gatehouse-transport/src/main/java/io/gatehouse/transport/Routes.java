package io.gatehouse.transport;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The public listener's one route table: each path with its endpoint, the methods it serves, its {@link Cors.Kind}
 * and the {@link RefusalWriter.Dialect} its refusals are written in. Built once at start-up from what is wired:
 * <pre>
 * path                                          methods              CORS              errors
 * /mcp (the MCP path)                           GET, POST, DELETE *  allowed origins   JSON-RPC
 * /health, /health/live, /health/ready          GET, HEAD            allowed origins   plain
 * /.well-known/oauth-protected-resource[/mcp]   GET, HEAD            any origin        plain     (when protected)
 * /.well-known/jwks.json                        GET, HEAD            any origin        plain     (local-keys mode)
 * the OAuth endpoints' paths                    their own            any origin **     OAuth     (when served)
 * other /.well-known/ paths                     -                    any origin        plain     404
 * anything else                                 -                    allowed origins   plain     404
 * </pre>
 * * POST only when stateless. ** same origin only ({@link Cors.Kind#NONE}) for the login and consent pages. The
 * OAuth endpoints own their paths (they depend on the issuer and on what is enabled), and check their methods
 * themselves. Looking a path up allocates nothing.
 */
final class Routes {

    /** Serves a request for a route's path; returns false when nothing is there after all (answered 404). */
    @FunctionalInterface
    interface Endpoint {
        boolean serve(Request request, Response response, Callback callback) throws Exception;
    }

    /**
     * One route.
     *
     * @param methods the methods served; empty when the endpoint checks them itself
     * @param allow   the {@code Allow} header of a 405, and the methods a preflight allows
     * @param note    why a method is not allowed, for the 405's message
     */
    record Route(Endpoint endpoint, List<String> methods, String allow, Cors.Kind cors, RefusalWriter.Dialect dialect, String note) {

        static Route of(Endpoint endpoint, List<String> methods, Cors.Kind cors, RefusalWriter.Dialect dialect) {
            String allow = String.join(", ", methods) + (cors == Cors.Kind.NONE ? "" : ", OPTIONS");
            return new Route(endpoint, List.copyOf(methods), allow, cors, dialect, "use " + allow);
        }

        /** A route whose endpoint answers 405 itself; {@code allow} is what a preflight allows. */
        static Route checkedByEndpoint(Endpoint endpoint, String allow, Cors.Kind cors, RefusalWriter.Dialect dialect) {
            return new Route(endpoint, List.of(), allow, cors, dialect, "use " + allow);
        }

        Route withNote(String note) {
            return new Route(endpoint, methods, allow, cors, dialect, note);
        }

        /** Throws the 405 when the route does not serve this method. */
        void checkMethod(String method) {
            if (!methods.isEmpty() && !methods.contains(method)) {
                throw Refusal.methodNotAllowed(allow, "Method Not Allowed: " + note);
            }
        }
    }

    private static final Endpoint NOTHING = (request, response, callback) -> false;
    private static final Route NOT_FOUND = Route.of(NOTHING, List.of(), Cors.Kind.ALLOWED_ORIGINS, RefusalWriter.Dialect.PLAIN);
    private static final Route PUBLIC_NOT_FOUND = Route.of(NOTHING, List.of(), Cors.Kind.ANY_ORIGIN, RefusalWriter.Dialect.PLAIN);

    private final Map<String, Route> exact;
    private final Optional<AuthorizationServerRoutes> oauth;
    private final Route oauthPublic;
    private final Route oauthPages;

    Routes(TransportConfig config, StreamableHttpEndpoint mcp, HealthEndpoint health, Optional<MetadataEndpoints> metadata,
           Optional<AuthorizationServerRoutes> oauth) {
        Map<String, Route> routes = new HashMap<>();
        metadata.ifPresent(documents -> documents.documents().forEach((path, body) -> routes.put(path,
                Route.of((request, response, callback) -> documents.serve(body, response, callback), List.of("GET", "HEAD"),
                        Cors.Kind.ANY_ORIGIN, RefusalWriter.Dialect.PLAIN))));
        for (String path : HealthEndpoint.PATHS) {
            routes.put(path, Route.of((request, response, callback) -> {
                health.handle(path, response, callback);
                return true;
            }, List.of("GET", "HEAD"), Cors.Kind.ALLOWED_ORIGINS, RefusalWriter.Dialect.PLAIN));
        }
        Endpoint mcpEndpoint = (request, response, callback) -> {
            mcp.handle(request, response, callback);
            return true;
        };
        routes.put(config.mcpPath(), config.sessionMode() == SessionMode.STATELESS
                ? Route.of(mcpEndpoint, List.of("POST"), Cors.Kind.ALLOWED_ORIGINS, RefusalWriter.Dialect.JSON_RPC)
                        .withNote("this server is stateless: it has no GET stream and no sessions to end; use POST")
                : Route.of(mcpEndpoint, List.of("GET", "POST", "DELETE"), Cors.Kind.ALLOWED_ORIGINS, RefusalWriter.Dialect.JSON_RPC)
                        .withNote("the MCP endpoint serves GET, POST and DELETE"));
        this.exact = Map.copyOf(routes);
        this.oauth = oauth;
        Endpoint oauthEndpoint = oauth.<Endpoint>map(r -> r::handle).orElse(NOTHING);
        this.oauthPublic = Route.checkedByEndpoint(oauthEndpoint, "GET, POST, OPTIONS", Cors.Kind.ANY_ORIGIN, RefusalWriter.Dialect.OAUTH);
        this.oauthPages = Route.checkedByEndpoint(oauthEndpoint, "GET, POST", Cors.Kind.NONE, RefusalWriter.Dialect.OAUTH);
    }

    /** The route of a path; never null. */
    Route find(String path) {
        Route route = exact.get(path);
        if (route != null) {
            return route;
        }
        if (oauth.isPresent() && oauth.get().owns(path)) {
            return oauth.get().isCrossOrigin(path) ? oauthPublic : oauthPages;
        }
        return path.startsWith("/.well-known/") ? PUBLIC_NOT_FOUND : NOT_FOUND;
    }
}
