/**
 * Multi Round-Trip Requests (MCP 2026-07-28, SEP-2322): the {@code InputRequiredResult} a modern {@code tools/call},
 * {@code prompts/get} or {@code resources/read} answers when its handler needs input from the client, and the sealed
 * {@code requestState} that carries the answers gathered so far from one round to the next.
 */
package io.gatehouse.mcp.internal.mrtr;
