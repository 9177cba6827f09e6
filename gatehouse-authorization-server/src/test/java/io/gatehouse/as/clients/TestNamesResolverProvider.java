package io.gatehouse.as.clients;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Lets tests of this module resolve made-up names under {@code .ssrf.test} to chosen addresses without DNS, the way
 * a hostile DNS server could answer. Every other name goes to the JDK's own resolver unchanged. Registered through
 * {@code META-INF/services}, so it is the JVM-wide resolver while this module's tests run.
 */
public final class TestNamesResolverProvider extends InetAddressResolverProvider {

    static final String SUFFIX = ".ssrf.test";

    /** Name (without the suffix) to the addresses it resolves to, in this order. */
    private static final Map<String, List<String>> NAMES = Map.of(
            "public", List.of("203.0.113.7"),
            "private", List.of("10.1.2.3"),
            "metadata", List.of("169.254.169.254"),
            "loopback", List.of("127.0.0.1"),
            "public-and-loopback", List.of("203.0.113.7", "127.0.0.1"),
            "loopback-and-public", List.of("127.0.0.1", "203.0.113.7"),
            "public-and-private", List.of("203.0.113.7", "192.168.0.10"));

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy lookupPolicy) throws UnknownHostException {
                String name = host.toLowerCase(Locale.ROOT);
                if (!name.endsWith(SUFFIX)) {
                    return builtin.lookupByName(host, lookupPolicy);
                }
                List<String> addresses = NAMES.get(name.substring(0, name.length() - SUFFIX.length()));
                if (addresses == null) {
                    throw new UnknownHostException(host);
                }
                InetAddress[] resolved = new InetAddress[addresses.size()];
                for (int i = 0; i < resolved.length; i++) {
                    resolved[i] = InetAddress.getByAddress(host, InetAddress.getByName(addresses.get(i)).getAddress());
                }
                return Stream.of(resolved);
            }

            @Override
            public String lookupByAddress(byte[] addr) throws UnknownHostException {
                return builtin.lookupByAddress(addr);
            }
        };
    }

    @Override
    public String name() {
        return "gatehouse test names";
    }
}
