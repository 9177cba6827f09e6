package io.gatehouse.as.clients;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Decides whether the authorization server may fetch a URL it was handed by a client (a client ID metadata
 * document): https only, and every address the host resolves to must be public, never loopback, private
 * (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16, fe80::/10, cloud metadata), carrier-grade
 * NAT (100.64/10), multicast or unspecified. For local development, loopback over http can be allowed explicitly.
 */
public final class SsrfGuard {

    private final boolean allowLoopbackForDevelopment;

    public SsrfGuard(boolean allowLoopbackForDevelopment) {
        this.allowLoopbackForDevelopment = allowLoopbackForDevelopment;
    }

    /** Why the URL may not be fetched, or empty when it may. */
    public Optional<String> problem(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme();
        if (url.getHost() == null || url.getRawUserInfo() != null) {
            return Optional.of("not a plain absolute URL");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(url.getHost());
        } catch (UnknownHostException e) {
            return Optional.of("the host does not resolve");
        }
        boolean allLoopback = true;
        for (InetAddress address : addresses) {
            allLoopback &= address.isLoopbackAddress();
            if (!address.isLoopbackAddress() && isNonPublic(address)) {
                return Optional.of("the host resolves to a non-public address");
            }
        }
        if (allLoopback) {
            return allowLoopbackForDevelopment ? Optional.empty() : Optional.of("the host resolves to a loopback address");
        }
        if (java.util.Arrays.stream(addresses).anyMatch(InetAddress::isLoopbackAddress)) {
            return Optional.of("the host resolves to a loopback address among public ones");
        }
        if (!scheme.equals("https")) {
            return Optional.of("only https URLs are fetched");
        }
        return Optional.empty();
    }

    static boolean isNonPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isMulticastAddress() || address.isLoopbackAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address) {
            return (b[0] & 0xFE) == 0xFC;
        }
        int first = b[0] & 0xFF;
        int second = b[1] & 0xFF;
        return first == 0 || (first == 100 && second >= 64 && second <= 127) || (first == 198 && (second == 18 || second == 19))
                || first >= 240;
    }
}
