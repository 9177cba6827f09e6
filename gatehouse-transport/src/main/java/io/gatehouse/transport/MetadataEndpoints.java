package io.gatehouse.transport;

import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.rs.metadata.ProtectedResourceMetadata;
import java.net.URI;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import tools.jackson.databind.node.ObjectNode;

/**
 * Public discovery documents: RFC 9728 protected resource metadata at the path-inserted well-known URL and at
 * the root (RS-02, RS-03), and in {@code local-keys} mode the public JWKS. They are readable from any origin
 * (CORS {@code *}): they hold nothing secret, and browser-based MCP clients must fetch them.
 */
final class MetadataEndpoints {

    static final String JWKS_PATH = "/.well-known/jwks.json";

    private final String pathInserted;
    private final byte[] pathInsertedBody;
    private final byte[] rootBody;
    private final Optional<byte[]> jwksBody;

    MetadataEndpoints(Protection protection) {
        ProtectedResourceMetadata metadata = protection.metadata();
        URI resource = metadata.resource();
        this.pathInserted = ProtectedResourceMetadata.wellKnownPath(resource);
        this.pathInsertedBody = Json.MAPPER.writeValueAsBytes(metadata.toJson());
        URI origin = URI.create(resource.getScheme() + "://" + resource.getRawAuthority());
        this.rootBody = Json.MAPPER.writeValueAsBytes(metadata.forResource(origin).toJson());
        this.jwksBody = protection.publishedKeys().map(keys -> Json.MAPPER.writeValueAsBytes(
                (ObjectNode) Json.MAPPER.readTree(keys.toString(true))));
    }

    /** Serves the path if it is one of these documents; returns false otherwise. */
    boolean handle(String path, String method, Response response, Callback callback) {
        byte[] body;
        if (path.equals(pathInserted)) {
            body = pathInsertedBody;
        } else if (path.equals("/.well-known/oauth-protected-resource")) {
            body = rootBody;
        } else if (path.equals(JWKS_PATH) && jwksBody.isPresent()) {
            body = jwksBody.get();
        } else {
            return false;
        }
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        if (method.equals("OPTIONS")) {
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, "GET, OPTIONS");
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type, MCP-Protocol-Version");
            HttpReplies.empty(response, callback, 204);
        } else if (method.equals("GET") || method.equals("HEAD")) {
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "public, max-age=300");
            HttpReplies.json(response, callback, 200, body);
        } else {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, OPTIONS");
            HttpReplies.empty(response, callback, 405);
        }
        return true;
    }

    static boolean isPublicDocument(String path) {
        return path.startsWith("/.well-known/");
    }
}
