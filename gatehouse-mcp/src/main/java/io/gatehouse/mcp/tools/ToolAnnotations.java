package io.gatehouse.mcp.tools;

/**
 * Hints about a tool's behaviour (MCP {@code ToolAnnotations}). Clients must treat them as untrusted.
 * A null field is left out, so the client applies the spec's default.
 */
public record ToolAnnotations(String title, Boolean readOnlyHint, Boolean destructiveHint, Boolean idempotentHint,
                              Boolean openWorldHint) {

    /** A tool that only reads and reaches nothing outside the server. */
    public static ToolAnnotations readOnly(String title) {
        return new ToolAnnotations(title, true, false, true, false);
    }
}
