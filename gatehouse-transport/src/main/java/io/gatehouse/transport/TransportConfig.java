package io.gatehouse.transport;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the HTTP side is set up. Built once and validated by the application before the server binds.
 *
 * @param host              address to bind ({@code 127.0.0.1} by default, T-03)
 * @param port              port to bind; 0 picks a free one
 * @param mcpPath           path of the MCP endpoint
 * @param publicBaseUrl     the URL clients use to reach this server when it differs from the bound address
 *                          (behind a proxy); its origin and host are allowed too
 * @param sessionMode       stateful or stateless Streamable HTTP
 * @param allowedOrigins    extra browser origins allowed besides the server's own (exact scheme, host, port)
 * @param allowedHosts      extra {@code Host} values allowed besides the server's own ({@code host:port})
 * @param maxRequestBytes   largest POST body accepted (413 above)
 * @param maxHeaderBytes    largest request header block accepted (431 above)
 * @param sseKeepAlive      interval of keep-alive comments on idle SSE streams
 * @param sseIdleTimeout    a GET stream with no message for this long is closed (the client reconnects)
 * @param idleTimeout       a connection with no traffic at all for this long is closed
 * @param shutdownDrain     how long {@link GatehouseHttpServer#stop()} keeps serving after readiness turned 503, so
 *                          that load balancers stop sending requests before the listener closes
 * @param tls               the certificate to serve HTTPS (and HTTP/2) with; empty for plain HTTP
 * @param trustedProxies    the load balancers or proxies (addresses, CIDR blocks) whose {@code X-Forwarded-For} names
 *                          the client for the authorization server's per-address limits; empty for none
 */
public record TransportConfig(String host, int port, String mcpPath, Optional<URI> publicBaseUrl,
                              SessionMode sessionMode, List<String> allowedOrigins, List<String> allowedHosts,
                              int maxRequestBytes, int maxHeaderBytes, Duration sseKeepAlive,
                              Duration sseIdleTimeout, Duration idleTimeout, Duration shutdownDrain,
                              Optional<TlsConfig> tls, List<String> trustedProxies) {

    public TransportConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(mcpPath, "mcpPath");
        Objects.requireNonNull(sessionMode, "sessionMode");
        Objects.requireNonNull(tls, "tls");
        allowedOrigins = List.copyOf(allowedOrigins);
        allowedHosts = List.copyOf(allowedHosts);
        trustedProxies = List.copyOf(trustedProxies);
        new ClientAddress(trustedProxies); // refuses an entry that is not an address, CIDR block or range
        Objects.requireNonNull(shutdownDrain, "shutdownDrain");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
        }
    }

    /** Loopback on port 9000, stateful, with the limits Gatehouse ships with. */
    public static TransportConfig defaults() {
        return new TransportConfig("127.0.0.1", 9000, "/mcp", Optional.empty(), SessionMode.STATEFUL,
                List.of(), List.of(), 4 * 1024 * 1024, 16 * 1024, Duration.ofSeconds(15), Duration.ofMinutes(10),
                Duration.ofMinutes(2), Duration.ZERO, Optional.empty(), List.of());
    }

    /**
     * The MCP endpoint's URL as clients use it, which is also the resource identifier tokens must be issued
     * for: the public base URL plus the MCP path, else {@code http://localhost:<port>/mcp} ({@code https} with TLS).
     */
    public URI canonicalMcpUrl(int boundPort) {
        return publicBaseUrl
                .map(base -> URI.create(base.toString().replaceAll("/+$", "") + mcpPath))
                .orElseGet(() -> URI.create(scheme() + "://localhost:" + boundPort + mcpPath));
    }

    /** {@code https} when the listener serves TLS, else {@code http}. */
    public String scheme() {
        return tls.isPresent() ? "https" : "http";
    }

    public TransportConfig withPort(int port) {
        return new TransportConfig(host, port, mcpPath, publicBaseUrl, sessionMode, allowedOrigins, allowedHosts,
                maxRequestBytes, maxHeaderBytes, sseKeepAlive, sseIdleTimeout, idleTimeout, shutdownDrain, tls, trustedProxies);
    }

    public TransportConfig withSessionMode(SessionMode mode) {
        return new TransportConfig(host, port, mcpPath, publicBaseUrl, mode, allowedOrigins, allowedHosts,
                maxRequestBytes, maxHeaderBytes, sseKeepAlive, sseIdleTimeout, idleTimeout, shutdownDrain, tls, trustedProxies);
    }
}
