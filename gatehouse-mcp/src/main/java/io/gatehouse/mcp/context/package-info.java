/**
 * What a handler knows about the request it serves: the authenticated {@link io.gatehouse.mcp.context.Caller}, the
 * {@link io.gatehouse.mcp.context.RequestContext} (progress, logging, input asked of the client with
 * {@link io.gatehouse.mcp.context.InputRequest}) and the
 * exceptions a handler may throw on purpose ({@link io.gatehouse.mcp.context.InsufficientScopeException} for step-up,
 * {@link io.gatehouse.mcp.context.ClientRequestException}). Public API.
 */
package io.gatehouse.mcp.context;
