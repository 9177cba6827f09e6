package io.gatehouse.as.clients;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Which IP addresses are public: globally reachable unicast, per the IANA special-purpose address registries
 * (RFC 6890 and its updates). Everything else is not, and neither is an IPv6 address that carries a non-public
 * IPv4 address inside it.
 *
 * <p>IPv4: not this network 0/8, private 10/8, 172.16/12 and 192.168/16, shared (CGNAT) 100.64/10, loopback 127/8,
 * link-local and cloud metadata 169.254/16, IETF protocol assignments 192.0.0/24, documentation 192.0.2/24,
 * 198.51.100/24 and 203.0.113/24, the retired 6to4 relay 192.88.99/24, benchmarking 198.18/15, multicast 224/4,
 * reserved 240/4 and broadcast.
 *
 * <p>IPv6: only the global unicast block 2000::/3 can be public, which excludes unspecified, loopback, IPv4-compatible
 * (::a.b.c.d), IPv4-translated (::ffff:0:a.b.c.d), local-use NAT64 (64:ff9b:1::/48), discard-only, unique-local
 * fc00::/7, link-local, site-local and multicast addresses outright. Inside 2000::/3, 2001::/23 (IETF protocol
 * assignments, Teredo 2001::/32 among them: refused outright), documentation 2001:db8::/32 and 3fff::/20 are not
 * public. The forms that really carry IPv4 traffic are judged by the IPv4 address inside them: IPv4-mapped
 * (::ffff:a.b.c.d), the NAT64 well-known prefix 64:ff9b::/96 (last 32 bits) and 6to4 2002::/16 (bits 16-47).
 */
final class PublicAddresses {

    private record Block(byte[] prefix, int bits) {
        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int whole = bits / 8;
            if (!Arrays.equals(address, 0, whole, prefix, 0, whole)) {
                return false;
            }
            int rest = bits % 8;
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return rest == 0 || (address[whole] & mask) == (prefix[whole] & mask);
        }
    }

    private static final List<Block> NON_PUBLIC_V4 = blocks("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
            "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
            "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4");
    private static final Block GLOBAL_UNICAST = block("2000::/3");
    private static final List<Block> NON_PUBLIC_IN_GLOBAL_UNICAST = blocks("2001::/23", "2001:db8::/32", "3fff::/20");
    private static final Block IPV4_MAPPED = new Block(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 0, 0, 0, 0}, 96);
    private static final Block NAT64_WELL_KNOWN = block("64:ff9b::/96");
    private static final Block SIX_TO_FOUR = block("2002::/16");

    private PublicAddresses() {
    }

    static boolean isPublic(InetAddress address) {
        return isPublic(address.getAddress());
    }

    private static boolean isPublic(byte[] address) {
        if (address.length == 4) {
            return NON_PUBLIC_V4.stream().noneMatch(block -> block.contains(address));
        }
        if (IPV4_MAPPED.contains(address) || NAT64_WELL_KNOWN.contains(address)) {
            return isPublic(Arrays.copyOfRange(address, 12, 16));
        }
        if (SIX_TO_FOUR.contains(address)) {
            return isPublic(Arrays.copyOfRange(address, 2, 6));
        }
        return GLOBAL_UNICAST.contains(address) && NON_PUBLIC_IN_GLOBAL_UNICAST.stream().noneMatch(block -> block.contains(address));
    }

    private static List<Block> blocks(String... cidrs) {
        return Arrays.stream(cidrs).map(PublicAddresses::block).toList();
    }

    /** A block from a CIDR literal (an address literal is parsed, never looked up). */
    private static Block block(String cidr) {
        int slash = cidr.indexOf('/');
        try {
            return new Block(InetAddress.getByName(cidr.substring(0, slash)).getAddress(), Integer.parseInt(cidr.substring(slash + 1)));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(cidr, e);
        }
    }
}
