package io.gatehouse.transport;

import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.rs.metadata.ProtectedResourceMetadata;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import tools.jackson.databind.node.ObjectNode;

/**
 * Public discovery documents: RFC 9728 protected resource metadata at the path-inserted well-known URL and at
 * the root (RS-02, RS-03), and in {@code local-keys} mode the public JWKS. They are readable from any origin
 * (the {@link Routes} give them CORS {@code *}): they hold nothing secret, and browser-based MCP clients must
 * fetch them. Each body is serialized once, at start-up.
 */
final class MetadataEndpoints {

    static final String JWKS_PATH = "/.well-known/jwks.json";
    static final String ROOT_PATH = "/.well-known/oauth-protected-resource";

    private final Map<String, byte[]> documents = new LinkedHashMap<>();

    MetadataEndpoints(Protection protection) {
        ProtectedResourceMetadata metadata = protection.metadata();
        URI resource = metadata.resource();
        URI origin = URI.create(resource.getScheme() + "://" + resource.getRawAuthority());
        documents.put(ROOT_PATH, Json.MAPPER.writeValueAsBytes(metadata.forResource(origin).toJson()));
        // the path-inserted document wins should both paths be the same (an MCP endpoint at the root)
        documents.put(ProtectedResourceMetadata.wellKnownPath(resource), Json.MAPPER.writeValueAsBytes(metadata.toJson()));
        protection.publishedKeys().ifPresent(keys -> documents.put(JWKS_PATH, Json.MAPPER.writeValueAsBytes(
                (ObjectNode) Json.MAPPER.readTree(keys.toString(true)))));
    }

    /** Each document's path and body. */
    Map<String, byte[]> documents() {
        return Map.copyOf(documents);
    }

    /** Answers a document (GET or HEAD): cacheable for five minutes. */
    boolean serve(byte[] body, Response response, Callback callback) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "public, max-age=300");
        HttpReplies.json(response, callback, 200, body);
        return true;
    }
}
