package io.gatehouse.mcp.resources;

import static io.gatehouse.mcp.jsonrpc.JsonRpcErrorCodes.INTERNAL_ERROR;
import static io.gatehouse.mcp.jsonrpc.JsonRpcErrorCodes.RESOURCE_NOT_FOUND;

import io.gatehouse.mcp.content.ResourceContents;
import io.gatehouse.mcp.json.Json;
import io.gatehouse.mcp.jsonrpc.JsonRpcException;
import io.gatehouse.mcp.context.RequestContext;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/** The resources and resource templates a server offers, and {@code resources/read}. */
public final class ResourceRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ResourceRegistry.class);

    private final Map<String, Resource> resources = new LinkedHashMap<>();
    private final List<ResourceTemplate> templates;

    public ResourceRegistry(Collection<Resource> resources, Collection<ResourceTemplate> templates) {
        for (Resource resource : resources) {
            if (this.resources.putIfAbsent(resource.uri(), resource) != null) {
                throw new IllegalArgumentException("two resources have the URI " + resource.uri());
            }
        }
        this.templates = List.copyOf(templates);
    }

    public boolean isEmpty() {
        return resources.isEmpty() && templates.isEmpty();
    }

    public Collection<Resource> resources() {
        return resources.values();
    }

    public List<ResourceTemplate> templates() {
        return templates;
    }

    /** Whether a URI names a resource this server has, directly or through a template. */
    public boolean exists(String uri) {
        return resources.containsKey(uri) || templates.stream().anyMatch(t -> t.match(uri).isPresent());
    }

    public Optional<ResourceTemplate> template(String uriTemplate) {
        return templates.stream().filter(t -> t.uriTemplate().equals(uriTemplate)).findFirst();
    }

    /** Runs {@code resources/read}; an unknown URI is {@code -32002} with the URI in {@code data}. */
    public List<ResourceContents> read(String uri, RequestContext context) {
        try {
            Resource resource = resources.get(uri);
            if (resource != null) {
                return resource.reader().read(uri, Map.of(), context);
            }
            for (ResourceTemplate template : templates) {
                Optional<Map<String, String>> variables = template.match(uri);
                if (variables.isPresent()) {
                    return template.reader().read(uri, variables.get(), context);
                }
            }
        } catch (JsonRpcException e) {
            throw e;
        } catch (Exception e) {
            LOG.error("Reading resource {} failed unexpectedly", uri, e);
            throw new JsonRpcException(INTERNAL_ERROR, "Internal error");
        }
        throw notFound(uri);
    }

    public static JsonRpcException notFound(String uri) {
        ObjectNode data = Json.object();
        data.put("uri", uri);
        return new JsonRpcException(RESOURCE_NOT_FOUND, "Resource not found: " + uri, data);
    }
}
