/**
 * The MCP engine: protocol lifecycle, sessions, dispatch, JSON-RPC, JSON and schema handling. Other Gatehouse
 * modules use it; it is not API, and it may change in any release. Code written against Gatehouse uses the API
 * packages ({@code context}, {@code tools}, {@code prompts}, {@code resources}, {@code content}, {@code completion})
 * and the server facade.
 */
package io.gatehouse.mcp.internal;
