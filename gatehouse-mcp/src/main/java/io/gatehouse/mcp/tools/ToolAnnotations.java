package io.gatehouse.mcp.tools;

/**
 * Hints about a tool's behaviour (MCP {@code ToolAnnotations}). Clients must treat them as untrusted.
 * A null field is left out, so the client applies the spec's default.
 *
 * @param title           a human-readable title
 * @param readOnlyHint    the tool changes nothing
 * @param destructiveHint the tool may destroy or overwrite data
 * @param idempotentHint  calling it twice with the same arguments does no more than once
 * @param openWorldHint   the tool reaches things outside the server (the web, other systems)
 */
public record ToolAnnotations(String title, Boolean readOnlyHint, Boolean destructiveHint, Boolean idempotentHint,
                              Boolean openWorldHint) {

    /** A tool that only reads and reaches nothing outside the server. */
    public static ToolAnnotations readOnly(String title) {
        return new ToolAnnotations(title, true, false, true, false);
    }
}
