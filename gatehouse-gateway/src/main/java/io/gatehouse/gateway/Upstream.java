package io.gatehouse.gateway;

import io.gatehouse.gateway.internal.HttpUpstream;
import io.gatehouse.gateway.internal.StdioUpstream;
import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.context.DownstreamTokens;
import java.util.function.Supplier;
import tools.jackson.databind.node.ObjectNode;

/**
 * One configured upstream MCP server, and the factory of its sessions. Gatehouse speaks MCP 2025-11-25 to it as a
 * client, with <b>one upstream session per client session</b>, so whatever per-session state the upstream keeps
 * (subscriptions, log level, roots, its own caches) stays per user:
 * <ul>
 *   <li><b>Streamable HTTP</b>: each {@link UpstreamSession} is its own MCP session ({@code Mcp-Session-Id}) on the
 *   upstream; one HTTP client is shared by all of them. A client's {@code Authorization} header, token or cookie is
 *   never sent: the only credentials are the configured {@link UpstreamCredentials}.</li>
 *   <li><b>stdio</b>: a stdio server has exactly one session per process, so each {@link UpstreamSession} gets its
 *   own child process, started lazily on its first request and stopped when the session closes. At most
 *   {@link UpstreamConfig#maxSessions()} children run at once. A child that dies ends its session (the listener's
 *   {@link UpstreamListener#onEnded} is called and pending requests fail); the next child of this upstream is then
 *   started only after an exponential backoff (1 s doubling to 30 s, reset by a successful initialize), so a
 *   crashing server is restarted, not hammered.</li>
 * </ul>
 * Creating an {@code Upstream} contacts nothing: Gatehouse starts even when the upstream is not up yet, and
 * {@link #health()} reports what the sessions have seen. Thread-safe.
 */
public interface Upstream extends AutoCloseable {

    /** An upstream for {@code config}; nothing is started or contacted yet. */
    static Upstream of(UpstreamConfig config) {
        return of(config, DownstreamTokens.NONE);
    }

    /** The same, with where {@code auth: token-exchange} gets each caller's exchanged token. */
    static Upstream of(UpstreamConfig config, DownstreamTokens downstreamTokens) {
        return switch (config.kind()) {
            case HTTP -> new HttpUpstream(config, downstreamTokens);
            case STDIO -> new StdioUpstream(config);
        };
    }

    /** The configuration it was made from. */
    UpstreamConfig config();

    /**
     * A new session for one client session. Nothing happens until its first request (or
     * {@link UpstreamSession#initialize()}): then the connection is made (a child started, or an HTTP session
     * initialized) with {@code clientCapabilities} as Gatehouse's capabilities, which should be those of the client
     * the session serves, so the upstream only asks for sampling, elicitation or roots the client can answer.
     *
     * @param clientCapabilities the {@code capabilities} to declare in {@code initialize}
     * @param listener           receives the upstream's notifications and requests, and the session's end
     */
    UpstreamSession openSession(ObjectNode clientCapabilities, UpstreamListener listener);

    /**
     * A new session for one client session, told who it serves: {@code caller} gives the caller of the client
     * session's latest request, whose token {@code auth: token-exchange} exchanges (the client's token itself is
     * never sent).
     */
    default UpstreamSession openSession(ObjectNode clientCapabilities, UpstreamListener listener, Supplier<Caller> caller) {
        return openSession(clientCapabilities, listener);
    }

    /** The upstream's state as last seen, for {@code /health}. */
    UpstreamHealth health();

    /** Closes every open session (stopping stdio children, deleting HTTP sessions). */
    @Override
    void close();
}
