package io.gatehouse.as.token;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import io.gatehouse.as.web.OAuthException;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * RFC 8707 resource indicators: a request names at most one resource, it must be one this server issues tokens
 * for, and once a grant is bound to a resource, later requests may only repeat it. No resource means the default
 * (the Gatehouse MCP URL).
 */
public final class ResourceIndicators {

    private final List<URI> allowed;

    public ResourceIndicators(List<URI> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    public URI select(List<URI> requested, Optional<URI> boundTo) {
        if (requested == null || requested.isEmpty()) {
            return boundTo.orElse(allowed.get(0));
        }
        if (requested.size() > 1) {
            throw new OAuthException(OAuth2Error.INVALID_TARGET, "Request one resource at a time");
        }
        URI resource = requested.get(0);
        if (!allowed.contains(resource)) {
            throw new OAuthException(OAuth2Error.INVALID_TARGET, "Unknown resource: this server issues tokens for " + allowed);
        }
        if (boundTo.isPresent() && !boundTo.get().equals(resource)) {
            throw new OAuthException(OAuth2Error.INVALID_TARGET, "The grant is bound to another resource");
        }
        return resource;
    }
}
