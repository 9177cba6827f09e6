package io.gatehouse.mcp.resources;

import io.gatehouse.mcp.content.ResourceContents;
import io.gatehouse.mcp.context.RequestContext;
import java.util.List;
import java.util.Map;

/**
 * The code behind a resource or a resource template: reads the contents of one URI. No authorization code
 * inside: the declared scopes and roles were enforced before.
 */
@FunctionalInterface
public interface ResourceReader {
    /**
     * Reads the resource. Any exception is a server fault and the client gets only "Internal error", except
     * {@link io.gatehouse.mcp.context.InsufficientScopeException}, which becomes the 403 step-up challenge.
     *
     * @param uri       the URI asked for
     * @param variables for a template, the values matched from the URI by variable name; empty otherwise
     * @param context   the caller and the request
     */
    List<ResourceContents> read(String uri, Map<String, String> variables, RequestContext context) throws Exception;
}
