package io.gatehouse.mcp.tools;

import io.gatehouse.mcp.context.RequestContext;

/**
 * The code behind a tool: plain blocking Java, with no authorization code inside (that happens before).
 *
 * @param <A> the arguments, already validated against the input schema: a record, or the raw JSON object
 */
@FunctionalInterface
public interface ToolHandler<A> {

    /**
     * Runs the tool. Check a scope at run time with {@code context.caller().requireScope(...)}: its
     * {@link io.gatehouse.mcp.context.InsufficientScopeException} becomes the 403 step-up challenge. Throw {@link ToolExecutionException} for a failure the model should see; any other
     * exception is a server fault and the client gets only "Internal error".
     */
    ToolResult call(A arguments, RequestContext context) throws Exception;
}
