package io.gatehouse.rs.metadata;

import io.gatehouse.mcp.internal.json.Json;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * OAuth 2.0 Protected Resource Metadata (RFC 9728) for the MCP endpoint (RS-01 … RS-06).
 *
 * @param resource             the resource identifier, byte-identical to the URL clients use (RS-03)
 * @param authorizationServers issuers clients may get tokens from (at least one, RS-01)
 * @param scopesSupported      the minimal scopes for basic use (RS-05); never {@code offline_access} (RS-06)
 * @param resourceName         a human-readable name
 * @param resourceDocumentation where people can read about this server
 */
public record ProtectedResourceMetadata(URI resource, List<String> authorizationServers, List<String> scopesSupported,
                                        String resourceName, Optional<URI> resourceDocumentation) {

    public ProtectedResourceMetadata {
        authorizationServers = List.copyOf(authorizationServers);
        scopesSupported = scopesSupported.stream().filter(s -> !s.equals("offline_access")).toList();
        if (authorizationServers.isEmpty()) {
            throw new IllegalArgumentException("protected resource metadata needs an authorization server (RS-01)");
        }
    }

    /** The same document for another resource identifier (the root well-known URL names the origin). */
    public ProtectedResourceMetadata forResource(URI other) {
        return new ProtectedResourceMetadata(other, authorizationServers, scopesSupported, resourceName, resourceDocumentation);
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("resource", resource.toString());
        json.set("authorization_servers", Json.MAPPER.valueToTree(authorizationServers));
        json.set("scopes_supported", Json.MAPPER.valueToTree(scopesSupported));
        json.putArray("bearer_methods_supported").add("header");
        json.put("resource_name", resourceName);
        resourceDocumentation.ifPresent(d -> json.put("resource_documentation", d.toString()));
        return json;
    }

    /** RFC 9728 section 3.1: the well-known path for a resource, inserted before its path. */
    public static String wellKnownPath(URI resource) {
        String path = resource.getRawPath() == null ? "" : resource.getRawPath();
        return "/.well-known/oauth-protected-resource" + (path.equals("/") ? "" : path);
    }
}
