package io.gatehouse.mcp.context;

/**
 * No token for a downstream API could be had for the caller: the downstream is not configured, the issuer refused
 * the exchange, or it could not be reached. Inside a tool it becomes a result with {@code isError: true} whose text
 * the model can read (as a {@code ToolExecutionException} does); its message never holds a token or a secret.
 */
public class DownstreamTokenException extends RuntimeException {
    /** @param message what went wrong, shown to the model; never put secrets in it */
    public DownstreamTokenException(String message) {
        super(message, null, false, false);
    }
}
