package io.gatehouse.as.clients;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether the authorization server may fetch a URL it was handed by a client (a client ID metadata
 * document): https only, and every address the host resolves to must be {@linkplain PublicAddresses public}: never
 * loopback, private, link-local (cloud metadata), shared, documentation, multicast or reserved, also not when
 * carried inside an IPv6 address. For local development, loopback can be allowed explicitly (then over http too).
 *
 * <p>The host is resolved once, here; {@link Decision#addresses()} are the addresses that were checked, and the
 * fetch connects to those and nothing else ({@link PinnedFetch}), so a name cannot answer a public address to this
 * check and a private one to the connection (DNS rebinding).
 */
public final class SsrfGuard {

    /** The addresses a URL may be fetched from, every one of them checked; or why it may not be fetched. */
    record Decision(Optional<String> problem, List<InetAddress> addresses) {

        Decision {
            addresses = List.copyOf(addresses);
        }

        static Decision refuse(String problem) {
            return new Decision(Optional.of(problem), List.of());
        }

        boolean allowed() {
            return problem.isEmpty();
        }
    }

    private final boolean allowLoopbackForDevelopment;

    public SsrfGuard(boolean allowLoopbackForDevelopment) {
        this.allowLoopbackForDevelopment = allowLoopbackForDevelopment;
    }

    /** Why the URL may not be fetched, or empty when it may. */
    public Optional<String> problem(URI url) {
        return decide(url).problem();
    }

    /** Resolves the URL's host once and judges every address it answers. */
    Decision decide(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme();
        if (url.getHost() == null || url.getRawUserInfo() != null) {
            return Decision.refuse("not a plain absolute URL");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(url.getHost());
        } catch (UnknownHostException e) {
            return Decision.refuse("the host does not resolve");
        }
        boolean allLoopback = true;
        for (InetAddress address : addresses) {
            allLoopback &= address.isLoopbackAddress();
            if (!address.isLoopbackAddress() && isNonPublic(address)) {
                return Decision.refuse("the host resolves to a non-public address");
            }
        }
        if (allLoopback) {
            if (!allowLoopbackForDevelopment) {
                return Decision.refuse("the host resolves to a loopback address");
            }
            return scheme.equals("https") || scheme.equals("http") ? new Decision(Optional.empty(), Arrays.asList(addresses))
                    : Decision.refuse("only http(s) URLs are fetched");
        }
        if (Arrays.stream(addresses).anyMatch(InetAddress::isLoopbackAddress)) {
            return Decision.refuse("the host resolves to a loopback address among public ones");
        }
        if (!scheme.equals("https")) {
            return Decision.refuse("only https URLs are fetched");
        }
        return new Decision(Optional.empty(), Arrays.asList(addresses));
    }

    static boolean isNonPublic(InetAddress address) {
        return !PublicAddresses.isPublic(address);
    }
}
