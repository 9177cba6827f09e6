package io.gatehouse.mcp.internal.server;

/**
 * The server holds as many sessions as it may ({@code max-sessions}); a new one is refused until some end. Not
 * the client's fault: the transport answers 503 with {@code Retry-After}.
 */
public final class TooManySessionsException extends RuntimeException {

    public TooManySessionsException(int limit) {
        super("the server holds its limit of " + limit + " sessions", null, false, false);
    }
}
