package io.gatehouse.testkit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Lets tests resolve made-up names under {@code .ssrf.test} to chosen addresses without DNS, the way a hostile DNS
 * server could answer. Every other name goes to the JDK's own resolver unchanged. A test module registers it in
 * {@code META-INF/services/java.net.spi.InetAddressResolverProvider}, which makes it the JVM-wide resolver while
 * that module's tests run.
 *
 * <p>A name {@code rebind-<anything>.ssrf.test} is a DNS-rebinding attacker: its first lookup answers
 * {@link #UNROUTED_PUBLIC}, every later one {@code 127.0.0.1}. The tests run with the JDK's name cache off
 * ({@code sun.net.inetaddr.ttl=0}) so that a second lookup really asks again.
 *
 * <p>A name {@code blocking-<anything>.ssrf.test} is a DNS server that never answers: its lookup waits
 * {@link #BLOCKING_LOOKUP} (until interrupted) and then fails. A name {@code stubborn-<anything>.ssrf.test} is the
 * same DNS server behind a lookup that cannot be interrupted (as the JDK's native lookup cannot): it waits
 * {@link #BLOCKING_LOOKUP} or until {@link #releaseStubbornLookups()}, whatever interrupts, and then fails.
 */
public final class TestNamesResolverProvider extends InetAddressResolverProvider {

    public static final String SUFFIX = ".ssrf.test";

    /** A public unicast address (judged only: nothing connects to it). */
    public static final String PUBLIC = "8.8.8.8";

    /**
     * An address in the global unicast block 2000::/3 that IANA has not allocated (2d00::/8): public by every rule,
     * yet routed nowhere, so a connection to it fails without reaching anyone.
     */
    public static final String UNROUTED_PUBLIC = "2d00::7";

    /** Name (without the suffix) to the addresses it resolves to, in this order. */
    private static final Map<String, List<String>> NAMES = Map.of(
            "public", List.of(PUBLIC),
            "private", List.of("10.1.2.3"),
            "metadata", List.of("169.254.169.254"),
            "loopback", List.of("127.0.0.1"),
            "nat64-loopback", List.of("64:ff9b::7f00:1"),
            "public-and-loopback", List.of(PUBLIC, "127.0.0.1"),
            "loopback-and-public", List.of("127.0.0.1", PUBLIC),
            "public-and-private", List.of(PUBLIC, "192.168.0.10"));

    private static final Map<String, AtomicInteger> REBIND_LOOKUPS = new ConcurrentHashMap<>();

    /** How long a lookup of a {@code blocking-} name waits before it fails. */
    public static final java.time.Duration BLOCKING_LOOKUP = java.time.Duration.ofSeconds(60);
    private static final AtomicInteger BLOCKING_LOOKUPS = new AtomicInteger();
    private static final AtomicInteger STUBBORN_LOOKUPS = new AtomicInteger();
    private static volatile java.util.concurrent.CountDownLatch stubbornRelease = new java.util.concurrent.CountDownLatch(1);

    /** Lookups of {@code stubborn-} names started so far. */
    public static int stubbornLookups() {
        return STUBBORN_LOOKUPS.get();
    }

    /** Ends every {@code stubborn-} lookup waiting now (each then fails). */
    public static void releaseStubbornLookups() {
        java.util.concurrent.CountDownLatch release = stubbornRelease;
        stubbornRelease = new java.util.concurrent.CountDownLatch(1);
        release.countDown();
    }

    /** Lookups of {@code blocking-} names started so far. */
    public static int blockingLookups() {
        return BLOCKING_LOOKUPS.get();
    }

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
                String label = name.substring(0, name.length() - SUFFIX.length());
                if (label.startsWith("blocking-")) {
                    block(host);
                }
                if (label.startsWith("stubborn-")) {
                    stubborn(host);
                }
                List<String> addresses = label.startsWith("rebind-") ? rebinding(label) : NAMES.get(label);
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

    private static void block(String host) throws UnknownHostException {
        BLOCKING_LOOKUPS.incrementAndGet();
        try {
            Thread.sleep(BLOCKING_LOOKUP);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new UnknownHostException(host);
    }

    private static void stubborn(String host) throws UnknownHostException {
        java.util.concurrent.CountDownLatch release = stubbornRelease;
        STUBBORN_LOOKUPS.incrementAndGet();
        long deadline = System.nanoTime() + BLOCKING_LOOKUP.toNanos();
        boolean interrupted = false;
        while (true) {
            try {
                release.await(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        throw new UnknownHostException(host);
    }

    private static List<String> rebinding(String label) {
        int lookup = REBIND_LOOKUPS.computeIfAbsent(label, l -> new AtomicInteger()).getAndIncrement();
        return List.of(lookup == 0 ? UNROUTED_PUBLIC : "127.0.0.1");
    }

    @Override
    public String name() {
        return "gatehouse test names";
    }
}
