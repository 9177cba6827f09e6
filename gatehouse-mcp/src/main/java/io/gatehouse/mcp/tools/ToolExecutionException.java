package io.gatehouse.mcp.tools;

/** A tool failed in a way the model should see: becomes a result with {@code isError: true}. */
public class ToolExecutionException extends RuntimeException {
    public ToolExecutionException(String message) {
        super(message, null, false, false);
    }
}
