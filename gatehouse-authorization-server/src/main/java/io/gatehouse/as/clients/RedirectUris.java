package io.gatehouse.as.clients;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a redirect URI may be (AS-11): https, or http on a loopback address; never a fragment or a script; printable
 * ASCII only (an IRI must be sent percent-encoded, a host in punycode); and no longer than the database keeps
 * (a code's {@code redirect_uri} column is 2000 characters, a client's list 8000). The reasons never repeat the
 * URI: they end up in OAuth error descriptions, which must not echo input.
 */
public final class RedirectUris {

    /** Longest redirect URI (the {@code redirect_uri} column of {@code gh_codes}). */
    public static final int MAX_LENGTH = 2000;
    /** Most redirect URIs one client may register. */
    public static final int MAX_COUNT = 10;
    /** Longest list of redirect URIs, joined by spaces (the {@code redirect_uris} column of {@code gh_clients}). */
    public static final int MAX_TOTAL_LENGTH = 8000;

    private RedirectUris() {
    }

    /** Why {@code uri} is not acceptable as a redirect URI, or empty when it is. */
    public static Optional<String> problem(String uri) {
        if (uri.isEmpty() || uri.length() > MAX_LENGTH) {
            return Optional.of("must be between 1 and " + MAX_LENGTH + " characters long");
        }
        if (!uri.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return Optional.of("must be printable ASCII without spaces (percent-encode anything else)");
        }
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URI");
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        if (!parsed.isAbsolute() || parsed.getHost() == null) {
            return Optional.of("must be an absolute URI with a host");
        }
        if (parsed.getRawFragment() != null) {
            return Optional.of("must not contain a fragment");
        }
        if (parsed.getRawUserInfo() != null) {
            return Optional.of("must not contain user information");
        }
        if (scheme.equals("https") || scheme.equals("http") && isLoopback(parsed)) {
            return Optional.empty();
        }
        return Optional.of("must use https, or http on a loopback address (localhost, 127.0.0.1, [::1])");
    }

    /** Why a client's list of redirect URIs is not acceptable (each one, their number and total length), or empty. */
    public static Optional<String> listProblem(List<String> uris) {
        if (uris.isEmpty()) {
            return Optional.of("redirect_uris must name at least one redirect URI");
        }
        if (uris.size() > MAX_COUNT) {
            return Optional.of("redirect_uris may name at most " + MAX_COUNT + " redirect URIs");
        }
        for (int i = 0; i < uris.size(); i++) {
            Optional<String> problem = problem(uris.get(i));
            if (problem.isPresent()) {
                return Optional.of("redirect_uris[" + i + "] " + problem.get());
            }
        }
        if (String.join(" ", uris).length() > MAX_TOTAL_LENGTH) {
            return Optional.of("redirect_uris may hold at most " + MAX_TOTAL_LENGTH + " characters in all");
        }
        return Optional.empty();
    }

    public static boolean isLoopback(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("::1");
    }
}
