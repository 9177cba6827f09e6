package io.gatehouse.mcp.tools;

/** A tool failed in a way the model should see: becomes a result with {@code isError: true}. */
public class ToolExecutionException extends RuntimeException {
    /** @param message what went wrong, shown to the model; never put secrets in it */
    public ToolExecutionException(String message) {
        super(message, null, false, false);
    }
}
