/** The content blocks tools and prompts return, and the contents resources give. Public API. */
package io.gatehouse.mcp.content;
