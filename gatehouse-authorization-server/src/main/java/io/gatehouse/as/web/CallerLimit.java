package io.gatehouse.as.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Admits at most {@code perCaller} requests per caller, and {@code total} in all, in each fixed window: so one
 * caller cannot use up what everyone shares, and many callers together are still bounded. A caller is its IP
 * address; an IPv6 caller is its /64 network, since one host commonly holds all of it. At most
 * {@code maxCallers} callers are remembered (least recently seen forgotten first), so the memory is bounded
 * whatever the number of addresses. Behind a reverse proxy every request comes from the proxy's address.
 *
 * <p>Thread-safe; the decision is a short synchronized step.
 */
public final class CallerLimit {

    private record Window(Instant start, int count) {
    }

    private final int perCaller;
    private final int total;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Window> callers;
    private Window all;

    public CallerLimit(int perCaller, int total, Duration window, int maxCallers, Clock clock) {
        this.perCaller = perCaller;
        this.total = total;
        this.window = window;
        this.clock = clock;
        this.callers = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
                return size() > maxCallers;
            }
        };
        this.all = new Window(clock.instant(), 0);
    }

    /** Counts a request from {@code address}; empty when admitted, else how long until it would be. */
    public synchronized Optional<Duration> admit(String address) {
        Instant now = clock.instant();
        String caller = callerOf(address);
        Window mine = current(callers.get(caller), now);
        all = current(all, now);
        if (mine.count() >= perCaller) {
            callers.put(caller, mine);
            return Optional.of(retryAfter(mine, now));
        }
        if (all.count() >= total) {
            return Optional.of(retryAfter(all, now));
        }
        callers.put(caller, new Window(mine.start(), mine.count() + 1));
        all = new Window(all.start(), all.count() + 1);
        return Optional.empty();
    }

    private Window current(Window w, Instant now) {
        return w == null || !w.start().plus(window).isAfter(now) ? new Window(now, 0) : w;
    }

    private Duration retryAfter(Window w, Instant now) {
        Duration left = Duration.between(now, w.start().plus(window));
        return left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left;
    }

    /**
     * The caller an address stands for, as every per-address limit should count it: the address as given, or for
     * IPv6 its /64 network; never a DNS lookup (only literals are parsed).
     */
    public static String callerOf(String address) {
        if (address == null || address.indexOf(':') < 0) {
            return String.valueOf(address);
        }
        String literal = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        try {
            // a string with a colon is parsed as an IPv6 literal, never looked up in DNS
            byte[] bytes = InetAddress.getByName(literal).getAddress();
            if (bytes.length != 16) {
                return literal;
            }
            StringBuilder network = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                network.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return network.append(":/64").toString();
        } catch (UnknownHostException e) {
            return literal;
        }
    }
}
