package io.gatehouse.as.clients;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/** What a redirect URI may be (AS-11): https, or http on a loopback address; never a fragment or a script. */
public final class RedirectUris {

    private RedirectUris() {
    }

    /** Why {@code uri} is not acceptable as a redirect URI, or empty when it is. */
    public static Optional<String> problem(String uri) {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            return Optional.of("not a valid URI: " + uri);
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        if (!parsed.isAbsolute() || parsed.getHost() == null) {
            return Optional.of("must be an absolute URI with a host: " + uri);
        }
        if (parsed.getRawFragment() != null) {
            return Optional.of("must not contain a fragment: " + uri);
        }
        if (parsed.getRawUserInfo() != null) {
            return Optional.of("must not contain user information: " + uri);
        }
        if (scheme.equals("https") || scheme.equals("http") && isLoopback(parsed)) {
            return Optional.empty();
        }
        return Optional.of("must use https, or http on a loopback address (localhost, 127.0.0.1, [::1]): " + uri);
    }

    public static boolean isLoopback(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("::1");
    }
}
