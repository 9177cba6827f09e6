package io.gatehouse.client.oauth;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * SSRF hygiene for every URL the client discovers (CL-10): http(s) only, https unless the host is loopback,
 * no user information. A discovered URL that fails is refused, not fetched.
 */
public final class UrlPolicy {

    private UrlPolicy() {
    }

    public static URI check(String url, String what) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new OAuthClientException(what + " is not a valid URL: " + url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || uri.getRawUserInfo() != null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new OAuthClientException(what + " must be an http(s) URL: " + url);
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            throw new OAuthClientException(what + " must use https (http only for loopback): " + url);
        }
        return uri;
    }

    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.equals("[::1]") || h.equals("::1")) {
            return true;
        }
        try {
            return h.matches("[0-9.]+") && InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
