package io.gatehouse.transport;

import java.util.Objects;

/**
 * A second HTTP listener for operators, apart from the one clients use: it serves the detailed {@code GET /health}
 * (version, protocol revisions, sessions, issuer, key source, signature provider), {@code GET /metrics} when the
 * server's {@link ServerMetrics} expose them, and nothing else. It has no
 * authentication, so it belongs on loopback ({@code 127.0.0.1} by default), where only the host's own users and
 * agents reach it.
 *
 * @param host address to bind
 * @param port port to bind; 0 picks a free one
 */
public record ManagementListener(String host, int port) {

    public ManagementListener {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
        }
    }
}
