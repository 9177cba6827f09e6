package io.gatehouse.server.internal.config;

import io.gatehouse.gateway.UpstreamConfig;
import io.gatehouse.gateway.UpstreamConfigException;
import io.gatehouse.gateway.UpstreamConfigParser;
import io.gatehouse.mcp.internal.json.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The upstream MCP servers Gatehouse guards as a gateway: the config file's {@code upstreams:} section (several, named,
 * each with its own prefix and settings; see {@link UpstreamConfigParser}) and the one upstream the flags name
 * ({@code --upstream URL} or {@code --upstream-command "CMD ARGS"}, with {@code upstream-timeout} and
 * {@code upstream-cwd}). Empty: Gatehouse serves its own features.
 */
final class UpstreamsConfig {

    /** The name of the upstream the flags define, in logs, health and errors. */
    static final String FLAG_UPSTREAM = "upstream";

    private UpstreamsConfig() {
    }

    static List<UpstreamConfig> from(GatehouseConfig.Reader r, Settings settings) {
        List<UpstreamConfig> upstreams = new ArrayList<>();
        JsonNode section = settings.upstreamsSection();
        try {
            if (!section.isMissingNode() && !section.isNull()) {
                upstreams.addAll(UpstreamConfigParser.parse(Map.of("upstreams", Json.MAPPER.convertValue(section, Object.class))));
            }
            fromFlags(r).ifPresent(flagged -> {
                if (upstreams.stream().anyMatch(u -> u.name().equals(FLAG_UPSTREAM) || u.toolPrefix().isEmpty())) {
                    throw new ConfigException("The upstream of " + r.source(r.optional("upstream").isPresent() ? "upstream"
                            : "upstream-command") + " has no prefix, and an upstream of the config file has none either (or "
                            + "is named '" + FLAG_UPSTREAM + "'): give each upstream of the config file a prefix, or list "
                            + "them all there");
                }
                upstreams.add(flagged);
            });
        } catch (UpstreamConfigException e) {
            throw new ConfigException("Invalid upstream: " + e.getMessage());
        }
        return List.copyOf(upstreams);
    }

    private static Optional<UpstreamConfig> fromFlags(GatehouseConfig.Reader r) {
        Optional<String> url = r.optional("upstream");
        Optional<String> command = r.optional("upstream-command");
        if (url.isPresent() && command.isPresent()) {
            throw new ConfigException("Choose one of upstream (" + r.source("upstream") + ") and upstream-command ("
                    + r.source("upstream-command") + "); several upstreams go in the config file's upstreams: section");
        }
        if (url.isEmpty() && command.isEmpty()) {
            for (String key : List.of("upstream-timeout", "upstream-cwd")) {
                if (r.settings().get(key).isPresent()) {
                    throw r.wrong(key, "has no effect without upstream or upstream-command (an upstream of the config "
                            + "file's upstreams: section has its own " + key.substring("upstream-".length()) + ":)");
                }
            }
            return Optional.empty();
        }
        UpstreamConfig upstream;
        try {
            upstream = url.isPresent()
                    ? UpstreamConfig.http(FLAG_UPSTREAM, r.httpUrl("upstream", url.get()))
                    : UpstreamConfig.stdio(FLAG_UPSTREAM, command.get());
        } catch (UpstreamConfigException e) {
            throw r.wrong(url.isPresent() ? "upstream" : "upstream-command", "is not usable: " + e.getMessage());
        }
        upstream = upstream.withTimeout(r.duration("upstream-timeout"));
        Optional<String> cwd = r.optional("upstream-cwd");
        if (cwd.isPresent()) {
            if (url.isPresent()) {
                throw r.wrong("upstream-cwd", "is the working directory of a stdio upstream (upstream-command), not of an "
                        + "HTTP one");
            }
            upstream = upstream.withCwd(Path.of(cwd.get()));
        }
        return Optional.of(upstream);
    }

    /** Each {@code auth: token-exchange} upstream names a downstream of the {@code downstreams:} section. */
    static void checkTokenExchange(List<UpstreamConfig> upstreams, Map<String, DownstreamConfig> downstreams) {
        for (UpstreamConfig upstream : upstreams) {
            if (upstream.credentials() instanceof io.gatehouse.gateway.UpstreamCredentials.TokenExchange exchange
                    && !downstreams.containsKey(exchange.downstream())) {
                throw new ConfigException("Invalid upstream: upstream '" + upstream.name() + "': downstream '"
                        + exchange.downstream() + "' is not in the config file's downstreams: section"
                        + (downstreams.isEmpty() ? " (there is none)" : " (known: " + String.join(", ",
                        new java.util.TreeSet<>(downstreams.keySet())) + ")"));
            }
        }
    }
}
