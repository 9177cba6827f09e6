/**
 * Tools: declare one with {@link io.gatehouse.mcp.tools.Tool#builder(String)}, its arguments as a record described
 * by {@link io.gatehouse.mcp.tools.Param}, its code as a {@link io.gatehouse.mcp.tools.ToolHandler} returning a
 * {@link io.gatehouse.mcp.tools.ToolResult}. Public API.
 */
package io.gatehouse.mcp.tools;
