/** Argument completion ({@code completion/complete}) for prompts and resource templates. Public API. */
package io.gatehouse.mcp.completion;
