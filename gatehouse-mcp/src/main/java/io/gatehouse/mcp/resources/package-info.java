/**
 * Resources: a fixed URI ({@link io.gatehouse.mcp.resources.Resource}) or a family of URIs
 * ({@link io.gatehouse.mcp.resources.ResourceTemplate}), read by a {@link io.gatehouse.mcp.resources.ResourceReader}.
 * Public API.
 */
package io.gatehouse.mcp.resources;
