package io.gatehouse.as.clients;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * The rules for a client identifier URL (draft-ietf-oauth-client-id-metadata-document, section 3): https, a path,
 * no single-dot or double-dot path segments (not even percent-encoded), no fragment, no user name or password; a
 * port is allowed, a query too. Besides the draft: at most {@value #MAX_LENGTH} printable ASCII characters (the
 * client id columns hold 512), no percent-encoded slash or backslash in the path, which a server could decode into a
 * dot segment, and no dot segment hidden behind a segment parameter ({@code ..;x}). For local development only, http on a loopback host is a document URL too; whether it is
 * fetched is the {@link SsrfGuard}'s decision.
 */
final class DocumentUrl {

    static final int MAX_LENGTH = 512;
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    private DocumentUrl() {
    }

    /** Whether a client id is meant as a metadata document URL: https, or http on a loopback host. */
    static boolean isCandidate(String clientId) {
        if (clientId.startsWith("https://")) {
            return true;
        }
        if (!clientId.startsWith("http://")) {
            return false;
        }
        try {
            String host = new URI(clientId).getHost();
            return host != null && LOOPBACK_HOSTS.contains(host.toLowerCase(Locale.ROOT));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * The client id as a URL when it follows the rules.
     *
     * @throws IllegalArgumentException naming the broken rule, never repeating the client id
     */
    static URI parse(String clientId) {
        if (clientId.length() > MAX_LENGTH || !clientId.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw new IllegalArgumentException("a client id URL is at most " + MAX_LENGTH + " printable ASCII characters");
        }
        if (clientId.indexOf('#') >= 0) {
            throw new IllegalArgumentException("a client id URL has no fragment");
        }
        URI url;
        try {
            url = new URI(clientId);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the client id is not a valid URL");
        }
        if (!isCandidate(clientId) || url.getHost() == null) {
            throw new IllegalArgumentException("a client id URL is https with a host");
        }
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("a client id URL has no user name or password");
        }
        String path = url.getRawPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            throw new IllegalArgumentException("a client id URL needs a path");
        }
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%5c")) {
            throw new IllegalArgumentException("a client id URL's path has no encoded slash or backslash");
        }
        for (String segment : lower.split("/", -1)) {
            // a segment parameter (";x") does not make a dot segment something else to servers that strip it
            String decoded = segment.replace("%2e", ".").replaceFirst(";.*", "");
            if (decoded.equals(".") || decoded.equals("..")) {
                throw new IllegalArgumentException("a client id URL's path has no . or .. segments");
            }
        }
        return url;
    }
}
