package io.gatehouse.transport;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The one CORS policy, applied by each route's {@link Kind}. Browser-based MCP clients on an allowed origin read
 * the MCP endpoint ({@code Mcp-Session-Id} and {@code WWW-Authenticate} exposed); public OAuth documents and
 * endpoints (metadata, JWKS, token, registration, ...) answer any origin and use no cookies; the login and consent
 * pages have no CORS at all.
 */
final class Cors {

    /** How a route answers browsers on other origins. */
    enum Kind {
        /** Same origin only: a foreign {@code Origin} is refused by the guard, and no CORS header is sent. */
        NONE,
        /** Origins the guard allows (the server's own and the configured ones) get CORS; others are refused. */
        ALLOWED_ORIGINS,
        /** Any origin may read it ({@code Access-Control-Allow-Origin: *}); the guard does not look at {@code Origin}. */
        ANY_ORIGIN
    }

    static final String ALLOWED_ORIGIN_HEADERS = "Content-Type, Accept, Authorization, Mcp-Session-Id, Mcp-Protocol-Version, "
            + "Mcp-Method, Mcp-Name, Last-Event-ID";
    static final String EXPOSE_HEADERS = "Mcp-Session-Id, Mcp-Protocol-Version, WWW-Authenticate, X-Request-Id";
    static final String ANY_ORIGIN_HEADERS = "Authorization, Content-Type, MCP-Protocol-Version";
    static final String MAX_AGE = "600";

    private Cors() {
    }

    /**
     * Adds the response headers the route's kind calls for.
     *
     * @param origin the request's {@code Origin}, already allowed by the guard; null when it sent none
     * @param allow  the route's methods, as a preflight answers them
     * @return whether the request is a preflight to answer now with 204
     */
    static boolean apply(Kind kind, String origin, String method, String allow, HttpFields.Mutable headers) {
        boolean preflight = method.equals("OPTIONS");
        switch (kind) {
            case NONE -> {
                return false;
            }
            case ALLOWED_ORIGINS -> {
                if (origin == null) {
                    return false;
                }
                headers.put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
                headers.add(HttpHeader.VARY, "Origin");
                headers.put(HttpHeader.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSE_HEADERS);
                if (preflight) {
                    preflight(headers, allow, ALLOWED_ORIGIN_HEADERS);
                }
                return preflight;
            }
            case ANY_ORIGIN -> {
                headers.put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
                if (preflight) {
                    preflight(headers, allow, ANY_ORIGIN_HEADERS);
                }
                return preflight;
            }
            default -> throw new IllegalStateException("unknown CORS kind " + kind);
        }
    }

    private static void preflight(HttpFields.Mutable headers, String allow, String allowHeaders) {
        headers.put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, allow);
        headers.put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, allowHeaders);
        headers.put(HttpHeader.ACCESS_CONTROL_MAX_AGE, MAX_AGE);
    }
}
