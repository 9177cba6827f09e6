package io.gatehouse.mcp.context;

/**
 * A request the server sent to the client (sampling, elicitation, ...) failed: the client refused it, answered
 * with an error, cannot receive it, or did not answer in time. Inside a tool this becomes an {@code isError}
 * result, so the model sees what happened.
 */
public class ClientRequestException extends RuntimeException {
    /** @param message what went wrong, shown to the model; never put secrets in it */
    public ClientRequestException(String message) {
        super(message, null, false, false);
    }
}
