/**
 * Prompts: declare one with {@link io.gatehouse.mcp.prompts.Prompt#builder(String)}, its code as a
 * {@link io.gatehouse.mcp.prompts.PromptHandler} returning a {@link io.gatehouse.mcp.prompts.PromptResult}. Public API.
 */
package io.gatehouse.mcp.prompts;
