package io.gatehouse.transport;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * CORS for browser-based MCP clients on an allowed origin. The response headers expose what a client must read
 * ({@code Mcp-Session-Id}, {@code WWW-Authenticate}); a preflight allows the headers MCP requests carry.
 */
final class Cors {

    static final String ALLOW_METHODS = "GET, POST, DELETE, OPTIONS";
    static final String ALLOW_HEADERS = "Content-Type, Accept, Authorization, Mcp-Session-Id, Mcp-Protocol-Version, "
            + "Mcp-Method, Mcp-Name, Last-Event-ID";
    static final String EXPOSE_HEADERS = "Mcp-Session-Id, Mcp-Protocol-Version, WWW-Authenticate";

    private Cors() {
    }

    /** Adds the CORS response headers for an origin the guard has already allowed. */
    static void allow(String origin, HttpFields.Mutable headers) {
        headers.put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.add(HttpHeader.VARY, "Origin");
        headers.put(HttpHeader.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSE_HEADERS);
    }

    static void preflight(HttpFields.Mutable headers) {
        headers.put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, ALLOW_METHODS);
        headers.put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, ALLOW_HEADERS);
        headers.put(HttpHeader.ACCESS_CONTROL_MAX_AGE, "600");
    }
}
