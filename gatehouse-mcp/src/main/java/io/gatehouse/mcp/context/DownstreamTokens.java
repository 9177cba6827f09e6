package io.gatehouse.mcp.context;

/**
 * Service-provider interface behind {@link RequestContext#downstreamToken}: obtains a token of a named downstream
 * API for a caller, by exchanging the caller's own token ({@link Caller#subjectToken()}, RFC 8693). The server
 * wires an implementation (Gatehouse's, from the {@code downstreams:} configuration section); the MCP engine only
 * calls it. Implementations cache, are thread-safe, and never log tokens.
 */
@FunctionalInterface
public interface DownstreamTokens {

    /** None configured: every request fails with a message that says so. */
    DownstreamTokens NONE = (caller, downstream) -> {
        throw new DownstreamTokenException("no downstream API named '" + downstream + "' is configured on this server");
    };

    /**
     * A token for {@code downstream} acting for {@code caller}.
     *
     * @throws DownstreamTokenException when none can be had (not configured, refused, unreachable, no caller token)
     */
    DownstreamToken token(Caller caller, String downstream);
}
