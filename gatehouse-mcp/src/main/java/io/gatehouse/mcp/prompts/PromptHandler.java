package io.gatehouse.mcp.prompts;

import io.gatehouse.mcp.context.RequestContext;
import java.util.Map;

/** Builds a prompt from its arguments, which have already been checked against the declared ones. */
@FunctionalInterface
public interface PromptHandler {
    PromptResult get(Map<String, String> arguments, RequestContext context) throws Exception;
}
