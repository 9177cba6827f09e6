package io.gatehouse.mcp.internal.server;

import io.gatehouse.mcp.internal.jsonrpc.JsonRpcErrorCodes;
import io.gatehouse.mcp.internal.jsonrpc.JsonRpcException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open {@code subscriptions/listen} streams of a server. Each holds a thread, a connection and up to a hundred
 * client strings, so they are bounded as sessions are ({@link Sessions}): a principal holds at most
 * {@code maxPerPrincipal} (one more ends that principal's oldest gracefully, and the client may listen again), and
 * the server at most {@code max} (more are refused, never another principal's ended). An anonymous or hostile caller
 * can so hold no more than its share.
 */
final class Listeners {

    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private final Set<Listener> open = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<Listener>> byOwner = new HashMap<>();
    private final int max;
    private final int maxPerPrincipal;
    private long opened;

    Listeners(int max, int maxPerPrincipal) {
        if (max < 1 || maxPerPrincipal < 1) {
            throw new IllegalArgumentException("listener limits must be at least 1");
        }
        this.max = max;
        this.maxPerPrincipal = maxPerPrincipal;
    }

    /** A new listener's place in the order of opening. */
    synchronized long next() {
        return ++opened;
    }

    /**
     * Holds {@code listener}, first ending its principal's oldest when the principal is at its limit.
     *
     * @throws JsonRpcException {@code -32603} when the server holds as many as it may (not the client's fault)
     */
    void add(Listener listener) {
        Optional<Listener> oldest = Optional.empty();
        synchronized (this) {
            Set<Listener> own = byOwner.getOrDefault(listener.ownerKey(), Set.of());
            if (own.size() >= maxPerPrincipal) {
                oldest = own.stream().min(Comparator.comparingLong(Listener::opened));
                oldest.ifPresent(this::removeLocked);
                LOG.info("A principal reached its limit of {} subscriptions; ended its oldest", maxPerPrincipal);
            }
            if (open.size() >= max) {
                LOG.warn("Refused a subscription: the server holds its limit of {}", max);
                throw new JsonRpcException(JsonRpcErrorCodes.INTERNAL_ERROR,
                        "The server holds as many subscriptions as it may; try again later");
            }
            open.add(listener);
            byOwner.computeIfAbsent(listener.ownerKey(), k -> new LinkedHashSet<>()).add(listener);
        }
        oldest.ifPresent(Listener::end);
    }

    synchronized void remove(Listener listener) {
        removeLocked(listener);
    }

    void resourceUpdated(String uri) {
        open.forEach(l -> l.resourceUpdated(uri));
    }

    /** Ends every subscription gracefully (server shutdown, S-4). */
    void endAll() {
        List.copyOf(open).forEach(Listener::end);
    }

    int size() {
        return open.size();
    }

    private void removeLocked(Listener listener) {
        open.remove(listener);
        Set<Listener> own = byOwner.get(listener.ownerKey());
        if (own != null) {
            own.remove(listener);
            if (own.isEmpty()) {
                byOwner.remove(listener.ownerKey());
            }
        }
    }
}
