package io.gatehouse.gateway;

import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.node.ObjectNode;

/**
 * One MCP session with the upstream, serving exactly one client session. The first call connects and runs the
 * {@code initialize} handshake; later calls wait for it. Every request fails, never hangs: with the upstream's
 * JSON-RPC error, or an {@link UpstreamException} when the upstream is down, too slow
 * ({@link UpstreamConfig#timeout()}), sends an oversized message, or the session ended. Thread-safe.
 */
public interface UpstreamSession extends AutoCloseable {

    /** The upstream's {@code initialize} result (protocolVersion, capabilities, serverInfo, instructions). */
    CompletableFuture<ObjectNode> initialize();

    /**
     * Sends a request; notifications and server→client requests tied to it (those the upstream sends on this
     * request's HTTP response stream, and {@code notifications/progress} carrying the {@code progressToken} of
     * {@code params._meta}) go to {@code related}, everything else to the session's listener.
     *
     * @param method  the MCP method, e.g. {@code tools/call}
     * @param params  its params, sent as given (a client's {@code _meta.progressToken} is kept)
     * @param related receives what the upstream sends about this request
     */
    UpstreamCall request(String method, ObjectNode params, UpstreamListener related);

    /** Sends a request whose related messages go to the session's listener. */
    default UpstreamCall request(String method, ObjectNode params) {
        return request(method, params, null);
    }

    /** Sends a notification, e.g. {@code notifications/roots/list_changed}; best effort. */
    void notify(String method, ObjectNode params);

    /** Whether the session has ended (closed, or its upstream connection lost). */
    boolean ended();

    /** Ends the session: HTTP sends {@code DELETE}, stdio stops the child. Pending requests fail. Idempotent. */
    @Override
    void close();
}
