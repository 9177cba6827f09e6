package io.gatehouse.mcp.resources;

import io.gatehouse.mcp.content.ResourceContents;
import io.gatehouse.mcp.context.RequestContext;
import java.util.List;
import java.util.Map;

/** Reads a resource. For a template, {@code variables} holds the values matched from the URI. */
@FunctionalInterface
public interface ResourceReader {
    List<ResourceContents> read(String uri, Map<String, String> variables, RequestContext context) throws Exception;
}
