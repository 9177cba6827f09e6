package io.gatehouse.transport;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.InetAddressSet;

/**
 * The address a request comes from, as the authorization server's per-address limits count it (login throttle,
 * sign-ins started, registrations): the connection's peer, or, when that peer is a trusted proxy (a load balancer
 * in front of the nodes), the nearest address in {@code X-Forwarded-For} that is not a trusted proxy. Without trusted
 * proxies the header is ignored: anyone could write it. An entry that is not an IP address ends the walk at the last
 * trusted hop, which is then the address (fail closed: one bucket for whatever a proxy could not name).
 */
final class ClientAddress {

    /** Entries looked at, from the right; a longer chain counts as its last trusted hop. */
    static final int MAX_HOPS = 16;
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private final InetAddressSet trusted = new InetAddressSet();

    /**
     * @param trustedProxies addresses, CIDR blocks ({@code 10.0.0.0/8}) or ranges of the proxies whose
     *                       {@code X-Forwarded-For} is believed; empty for none
     * @throws IllegalArgumentException naming an entry that is none of these
     */
    ClientAddress(List<String> trustedProxies) {
        for (String proxy : trustedProxies) {
            try {
                trusted.add(proxy);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not an address, CIDR block or range: '" + proxy + "'");
            }
        }
    }

    String of(Request request) {
        String peer = Request.getRemoteAddr(request);
        if (trusted.isEmpty() || !isTrusted(literal(peer))) {
            return peer;
        }
        String address = peer;
        List<String> hops = request.getHeaders().getValuesList(HttpHeader.X_FORWARDED_FOR).stream()
                .flatMap(value -> java.util.Arrays.stream(value.split(","))).map(String::strip).toList();
        for (int i = hops.size() - 1; i >= 0 && i >= hops.size() - MAX_HOPS; i--) {
            Optional<InetAddress> hop = literal(hops.get(i));
            if (hop.isEmpty()) {
                return address;
            }
            address = hop.get().getHostAddress();
            if (!isTrusted(hop)) {
                return address;
            }
        }
        return address;
    }

    private boolean isTrusted(Optional<InetAddress> address) {
        return address.isPresent() && trusted.test(address.get());
    }

    /** An IP literal, parsed without a name lookup; empty for anything else. */
    private static Optional<InetAddress> literal(String text) {
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (!IP_LITERAL.matcher(bare).matches() || !(bare.contains(":") || bare.chars().filter(c -> c == '.').count() == 3)) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(bare));
        } catch (UnknownHostException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
