package io.gatehouse.mcp.internal.server;

import io.gatehouse.mcp.internal.log.LogText;
import static io.gatehouse.mcp.internal.jsonrpc.JsonRpcErrorCodes.INTERNAL_ERROR;
import static io.gatehouse.mcp.internal.jsonrpc.JsonRpcErrorCodes.RESOURCE_NOT_FOUND;

import io.gatehouse.mcp.content.ResourceContents;
import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcException;
import io.gatehouse.mcp.context.InsufficientScopeException;
import io.gatehouse.mcp.resources.Resource;
import io.gatehouse.mcp.resources.ResourceTemplate;
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
final class ResourceRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ResourceRegistry.class);

    private final Map<String, Resource> resources = new LinkedHashMap<>();
    private final List<ResourceTemplate> templates;

    ResourceRegistry(Collection<Resource> resources, Collection<ResourceTemplate> templates) {
        for (Resource resource : resources) {
            if (this.resources.putIfAbsent(resource.uri(), resource) != null) {
                throw new IllegalArgumentException("two resources have the URI " + resource.uri());
            }
        }
        this.templates = List.copyOf(templates);
    }

    boolean isEmpty() {
        return resources.isEmpty() && templates.isEmpty();
    }

    Collection<Resource> resources() {
        return resources.values();
    }

    List<ResourceTemplate> templates() {
        return templates;
    }

    /** Whether a URI names a resource this server has, directly or through a template. */
    boolean exists(String uri) {
        return resources.containsKey(uri) || templates.stream().anyMatch(t -> t.match(uri).isPresent());
    }

    /** The resource with exactly this URI. */
    Optional<Resource> resource(String uri) {
        return Optional.ofNullable(resources.get(uri));
    }

    /** The first template matching this URI: what {@code resources/read} reads when no resource has the URI. */
    Optional<ResourceTemplate> matching(String uri) {
        return templates.stream().filter(t -> t.match(uri).isPresent()).findFirst();
    }

    Optional<ResourceTemplate> template(String uriTemplate) {
        return templates.stream().filter(t -> t.uriTemplate().equals(uriTemplate)).findFirst();
    }

    /** Runs {@code resources/read}; an unknown URI is {@code -32002} with the URI in {@code data}. */
    List<ResourceContents> read(String uri, RequestContext context) {
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
        } catch (InsufficientScopeException | JsonRpcException e) {
            throw e; // a step-up refusal passes through untouched, for the transport's 403 challenge
        } catch (Exception e) {
            LOG.error("Reading resource {} failed unexpectedly", LogText.neutralise(uri), e);
            throw new JsonRpcException(INTERNAL_ERROR, "Internal error");
        }
        throw notFound(uri);
    }

    static JsonRpcException notFound(String uri) {
        ObjectNode data = Json.object();
        data.put("uri", uri);
        return new JsonRpcException(RESOURCE_NOT_FOUND, "Resource not found: " + uri, data);
    }
}
