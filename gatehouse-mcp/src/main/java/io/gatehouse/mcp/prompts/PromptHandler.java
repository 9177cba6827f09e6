package io.gatehouse.mcp.prompts;

import io.gatehouse.mcp.context.RequestContext;
import java.util.Map;

/**
 * The code behind a prompt: builds it from its arguments, which have already been checked against the declared
 * ones. No authorization code inside: the prompt's declared scopes and roles were enforced before.
 */
@FunctionalInterface
public interface PromptHandler {
    /**
     * Builds the prompt. Any exception is a server fault and the client gets only "Internal error", except
     * {@link io.gatehouse.mcp.context.InsufficientScopeException}, which becomes the 403 step-up challenge.
     *
     * @param arguments the arguments given, by name (optional ones may be missing)
     * @param context   the caller and the request
     */
    PromptResult get(Map<String, String> arguments, RequestContext context) throws Exception;
}
