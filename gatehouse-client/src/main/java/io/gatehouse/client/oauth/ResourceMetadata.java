package io.gatehouse.client.oauth;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * RFC 9728 protected resource metadata as the client finds it (CL-01): from the challenge's
 * {@code resource_metadata}, else the path-inserted well-known URL, else the root one. A document whose
 * {@code resource} is not the server URL (or an origin or path prefix of it) is refused.
 */
public record ResourceMetadata(URI resource, List<String> authorizationServers, Optional<List<String>> scopesSupported) {

    public static Optional<ResourceMetadata> discover(Http http, URI serverUrl, Optional<String> fromChallenge) {
        List<URI> candidates = new ArrayList<>();
        fromChallenge.ifPresent(url -> candidates.add(UrlPolicy.check(url, "resource_metadata")));
        String path = serverUrl.getRawPath() == null ? "" : serverUrl.getRawPath();
        String origin = serverUrl.getScheme() + "://" + serverUrl.getRawAuthority();
        if (!path.isEmpty() && !path.equals("/")) {
            candidates.add(URI.create(origin + "/.well-known/oauth-protected-resource" + path));
        }
        candidates.add(URI.create(origin + "/.well-known/oauth-protected-resource"));
        for (URI candidate : candidates) {
            HttpResponse<String> response = http.get(candidate);
            if (response.statusCode() == 200) {
                return Optional.of(parse(Http.json(response, "protected resource metadata"), serverUrl));
            }
            if (fromChallenge.isPresent() && candidate.toString().equals(fromChallenge.get())) {
                throw new OAuthClientException("the resource_metadata URL " + candidate + " answered " + response.statusCode());
            }
        }
        return Optional.empty();
    }

    static ResourceMetadata parse(JsonNode json, URI serverUrl) {
        String resource = json.path("resource").asString("");
        URI named;
        try {
            named = new URI(resource.isEmpty() ? "about:blank" : resource);
        } catch (java.net.URISyntaxException e) {
            throw new OAuthClientException("the protected resource metadata names a resource that is not a URL");
        }
        if (!matches(named, serverUrl)) {
            throw new OAuthClientException("the protected resource metadata names resource " + Http.excerpt(resource, 200)
                    + ", which is not " + serverUrl + ": refusing to use it");
        }
        List<String> servers = new ArrayList<>();
        json.path("authorization_servers").forEach(s -> servers.add(s.asString("")));
        if (servers.isEmpty()) {
            throw new OAuthClientException("the protected resource metadata lists no authorization server");
        }
        Optional<List<String>> scopes = Optional.empty();
        if (json.path("scopes_supported").isArray()) {
            List<String> list = new ArrayList<>();
            json.path("scopes_supported").forEach(s -> list.add(s.asString("")));
            scopes = Optional.of(list);
        }
        return new ResourceMetadata(named, servers, scopes);
    }

    /** The resource is the server URL itself, or its origin or a path prefix of it (RFC 9728 section 3.3). */
    static boolean matches(URI resource, URI serverUrl) {
        String r = strip(resource.toString());
        String s = strip(serverUrl.toString());
        return s.equals(r) || s.startsWith(r + "/");
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
