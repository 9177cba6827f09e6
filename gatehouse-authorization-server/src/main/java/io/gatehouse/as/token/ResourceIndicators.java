package io.gatehouse.as.token;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import io.gatehouse.as.web.OAuthException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * RFC 8707 resource indicators: a request names at most one resource, it must be one this server issues tokens
 * for, and once a grant is bound to a resource, later requests may only repeat it. No resource means the default
 * (the Gatehouse MCP URL). A requested resource is compared in its canonical form (scheme and host in lower case,
 * no default port: RFC 3986 section 6.2.2-6.2.3), and what is selected is always the allow-listed URI exactly as
 * configured, never the spelling the client sent: that is what goes into {@code aud}, which the resource server
 * compares exactly.
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
        String wanted = canonical(requested.get(0));
        URI resource = allowed.stream().filter(a -> canonical(a).equals(wanted)).findFirst()
                .orElseThrow(() -> new OAuthException(OAuth2Error.INVALID_TARGET, "Unknown resource: this server issues tokens for "
                        + allowed));
        if (boundTo.isPresent() && !canonical(boundTo.get()).equals(canonical(resource))) {
            throw new OAuthException(OAuth2Error.INVALID_TARGET, "The grant is bound to another resource");
        }
        return resource;
    }

    /** The canonical spelling of an absolute URI: scheme and host in lower case, the default port left out. */
    static String canonical(URI uri) {
        if (!uri.isAbsolute() || uri.getRawFragment() != null || uri.getRawUserInfo() != null || uri.getHost() == null) {
            return "\u0000not a resource: " + uri;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || scheme.equals("https") && port == 443 || scheme.equals("http") && port == 80;
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port)
                + (uri.getRawPath() == null ? "" : uri.getRawPath()) + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }
}
