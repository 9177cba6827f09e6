package io.gatehouse.gateway;

import io.gatehouse.gateway.internal.ClientLink;
import io.gatehouse.mcp.context.DownstreamTokens;
import io.gatehouse.mcp.context.RequestContext;
import io.gatehouse.mcp.internal.server.ClientChannel;
import io.gatehouse.mcp.internal.server.Relay;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Gatehouse as a gateway: the MCP engine's {@link Relay} to the configured upstreams. Each client session gets its
 * own session on every upstream (opened at its {@code initialize}, closed when it ends), so upstream per-session
 * state stays per user; a stateless request gets upstream sessions for itself alone. Tool, prompt and template
 * names carry each upstream's prefix, by which calls are routed back; lists are merged upstream by upstream, in
 * configuration order. Authorization happens before the relay is reached; the client's credentials never reach an
 * upstream (each speaks to Gatehouse with only its configured {@link UpstreamCredentials}).
 */
public final class UpstreamRelay implements Relay, AutoCloseable {

    private final List<Upstream> upstreams;
    private final Map<ClientChannel, ClientLink> links = new ConcurrentHashMap<>();
    /** Each principal's client sessions that hold upstream sessions; guarded by itself. */
    private final Map<String, Set<ClientChannel>> byPrincipal = new HashMap<>();
    /** How many client sessions one principal may connect at once: see {@link #claimShare}. */
    private final int share;

    private UpstreamRelay(List<Upstream> upstreams) {
        this.upstreams = List.copyOf(upstreams);
        this.share = Math.max(1, upstreams.stream().mapToInt(u -> u.config().maxSessions()).min().orElse(1) / 4);
    }

    /** A relay to these upstreams; nothing is contacted yet. */
    public static UpstreamRelay of(List<UpstreamConfig> configs) {
        return of(configs, DownstreamTokens.NONE);
    }

    /** A relay whose {@code auth: token-exchange} upstreams get each caller's exchanged tokens from {@code downstreamTokens}. */
    public static UpstreamRelay of(List<UpstreamConfig> configs, DownstreamTokens downstreamTokens) {
        if (configs.isEmpty()) {
            throw new UpstreamConfigException("a gateway needs at least one upstream");
        }
        return new UpstreamRelay(configs.stream().map(c -> Upstream.of(c, downstreamTokens)).toList());
    }

    /** The upstreams, in configuration order. */
    public List<Upstream> upstreams() {
        return upstreams;
    }

    /** Each upstream's state, for {@code /health}. */
    public List<UpstreamHealth> health() {
        return upstreams.stream().map(Upstream::health).toList();
    }

    @Override
    public Handshake open(ClientChannel client) {
        ClientLink link = link(client);
        return link.handshake();
    }

    @Override
    public JsonNode handle(String method, ObjectNode params, ClientChannel client, RequestContext context) {
        return link(client).handle(method, params, context);
    }

    /** Tells each upstream session of this client, as the client told Gatehouse. */
    @Override
    public void rootsChanged(ClientChannel client) {
        ClientLink link = links.get(client);
        if (link != null) {
            link.rootsChanged();
        }
    }

    @Override
    public Optional<String> upstreamOf(String method, ObjectNode params) {
        if (upstreams.size() == 1) {
            return Optional.of(upstreams.getFirst().config().name());
        }
        String name = switch (method) {
            case "tools/call", "prompts/get" -> params.path("name").asString(null);
            case "completion/complete" -> params.path("ref").path("name").asString(null);
            default -> null; // a resource goes where it was listed, which only the client's session knows
        };
        return name == null ? Optional.empty()
                : ClientLink.owner(upstreams, name).map(u -> u.config().name());
    }

    private ClientLink link(ClientChannel client) {
        ClientLink existing = links.get(client);
        if (existing != null) {
            return existing;
        }
        ClientLink link = new ClientLink(upstreams, client);
        if (links.putIfAbsent(client, link) != null) {
            return links.get(client);
        }
        Optional<ClientChannel> evicted = claimShare(client); // before onClose, which runs at once if it has closed
        client.onClose(() -> {
            releaseShare(client);
            links.remove(client);
            link.close();
        });
        evicted.ifPresent(ClientChannel::end);
        return link;
    }

    /**
     * Counts a new client session against its principal's share of the upstreams' sessions: a quarter of the smallest
     * max-sessions (at least one). Past it, the principal's least recently used client session is returned, to be
     * ended (its client gets 404 and starts again), as Gatehouse's own per-principal session limit does; so one
     * authenticated user cannot hold every upstream session (every stdio child) and lock everyone else out. With
     * authentication off every client is the same anonymous principal, and a stateless request's upstream sessions
     * last only that request: neither is counted.
     */
    private Optional<ClientChannel> claimShare(ClientChannel client) {
        if (client.caller().isAnonymous() || client.session().id().isEmpty()) {
            return Optional.empty();
        }
        synchronized (byPrincipal) {
            Set<ClientChannel> own = byPrincipal.computeIfAbsent(client.caller().principalKey(), k -> new HashSet<>());
            own.add(client);
            if (own.size() <= share) {
                return Optional.empty();
            }
            Optional<ClientChannel> oldest = own.stream().filter(c -> c != client)
                    .min(Comparator.comparing(c -> c.session().lastActive()));
            oldest.ifPresent(own::remove);
            return oldest;
        }
    }

    private void releaseShare(ClientChannel client) {
        synchronized (byPrincipal) {
            Set<ClientChannel> own = byPrincipal.get(client.caller().principalKey());
            if (own != null && own.remove(client) && own.isEmpty()) {
                byPrincipal.remove(client.caller().principalKey());
            }
        }
    }

    /** Closes every upstream session and stops every stdio child. */
    @Override
    public void close() {
        upstreams.forEach(Upstream::close);
    }
}
