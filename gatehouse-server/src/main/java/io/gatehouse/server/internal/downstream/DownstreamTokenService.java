package io.gatehouse.server.internal.downstream;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.gatehouse.as.AuthorizationServer;
import io.gatehouse.mcp.context.Caller;
import io.gatehouse.mcp.context.DownstreamToken;
import io.gatehouse.mcp.context.DownstreamTokenException;
import io.gatehouse.mcp.context.DownstreamTokens;
import io.gatehouse.mcp.context.SubjectToken;
import io.gatehouse.mcp.internal.log.LogText;
import io.gatehouse.server.internal.config.DownstreamConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gatehouse's {@link DownstreamTokens}: the {@code downstreams:} section at work. A caller's token is exchanged
 * (RFC 8693) at the downstream's issuer, and the result kept per caller token and downstream until
 * {@link #MARGIN} before it expires (half its lifetime when that is shorter), in a cache of at most
 * {@link #MAX_ENTRIES} entries keyed by the token's hash, never the token. Neither token is ever logged. Thread-safe.
 */
public final class DownstreamTokenService implements DownstreamTokens {

    /** How long before its expiry a cached token is replaced. */
    static final Duration MARGIN = Duration.ofSeconds(30);
    static final int MAX_ENTRIES = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(DownstreamTokenService.class);

    /** One cached token: the caller's token (by hash) and the downstream. */
    private record Key(String issuer, String subject, String subjectTokenHash, String downstream) {
    }

    private record Downstream(DownstreamConfig config, TokenSource source) {
    }

    private final Map<String, Downstream> downstreams;
    private final Clock clock;
    private final Cache<Key, DownstreamToken> cache;
    private final AtomicLong exchanges = new AtomicLong();

    DownstreamTokenService(Map<String, Downstream> downstreams, Clock clock) {
        this.downstreams = Map.copyOf(downstreams);
        this.clock = clock;
        this.cache = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).ticker(ticker(clock))
                .expireAfter(new Expiry<Key, DownstreamToken>() {
                    @Override
                    public long expireAfterCreate(Key key, DownstreamToken token, long now) {
                        return keepFor(token);
                    }

                    @Override
                    public long expireAfterUpdate(Key key, DownstreamToken token, long now, long left) {
                        return keepFor(token);
                    }

                    @Override
                    public long expireAfterRead(Key key, DownstreamToken token, long now, long left) {
                        return left;
                    }
                }).build();
    }

    /**
     * The service for these downstreams.
     *
     * @param embedded the embedded authorization server, once it runs (for {@code issuer: embedded})
     */
    public static DownstreamTokenService of(Map<String, DownstreamConfig> configs,
                                            Supplier<Optional<AuthorizationServer>> embedded, Clock clock) {
        Map<String, Downstream> downstreams = new LinkedHashMap<>();
        configs.forEach((name, config) -> downstreams.put(name, new Downstream(config, switch (config.issuer()) {
            case DownstreamConfig.Embedded e -> new EmbeddedTokenSource(embedded, e.clientId());
            case DownstreamConfig.External x -> new RemoteTokenSource(x, clock);
        })));
        return new DownstreamTokenService(downstreams, clock);
    }

    /** For tests: a service over these sources. */
    static DownstreamTokenService of(Map<String, DownstreamConfig> configs, Map<String, TokenSource> sources, Clock clock) {
        Map<String, Downstream> downstreams = new LinkedHashMap<>();
        configs.forEach((name, config) -> downstreams.put(name, new Downstream(config, sources.get(name))));
        return new DownstreamTokenService(downstreams, clock);
    }

    @Override
    public DownstreamToken token(Caller caller, String name) {
        Downstream downstream = downstreams.get(name);
        if (downstream == null) {
            throw new DownstreamTokenException("no downstream API named '" + LogText.neutralise(String.valueOf(name))
                    + "' is configured on this server (downstreams:)");
        }
        SubjectToken subject = caller.subjectToken().orElseThrow(() -> new DownstreamTokenException(
                "this request carries no user token to exchange for '" + name + "' (authentication is off)"));
        Key key = new Key(caller.issuer(), caller.subject(), subject.fingerprint(), name);
        DownstreamToken cached = cache.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        DownstreamConfig config = downstream.config();
        DownstreamToken fresh;
        try {
            fresh = downstream.source().exchange(subject, config.audience(), config.scopes());
        } catch (DownstreamTokenException e) {
            LOG.info("Token exchange for downstream '{}' failed for sub={}: {}", name, LogText.neutralise(caller.subject()),
                    e.getMessage());
            throw new DownstreamTokenException("no token for the downstream '" + name + "': " + e.getMessage());
        } catch (RuntimeException e) {
            // a store or library failure: the tool still answers with an error the model can read, never a 500
            LOG.warn("Token exchange for downstream '{}' failed unexpectedly for sub={}: {}", name,
                    LogText.neutralise(caller.subject()), e.getClass().getName());
            throw new DownstreamTokenException("no token for the downstream '" + name + "': the exchange failed unexpectedly");
        }
        exchanges.incrementAndGet();
        if (keepFor(fresh) > 0) {
            cache.put(key, fresh); // two racing calls may both exchange: harmless, the later one is kept
        }
        return fresh;
    }

    /** How many exchanges succeeded (for tests and metrics: a cached token costs none). */
    public long exchanges() {
        return exchanges.get();
    }

    /** Nanoseconds a token stays cached: until {@link #MARGIN} before its expiry, or half its remaining life. */
    private long keepFor(DownstreamToken token) {
        Duration left = Duration.between(clock.instant(), token.expiresAt());
        if (left.isNegative() || left.isZero()) {
            return 0;
        }
        Duration keep = left.compareTo(MARGIN.multipliedBy(2)) > 0 ? left.minus(MARGIN) : left.dividedBy(2);
        return keep.toNanos();
    }

    private static Ticker ticker(Clock clock) {
        return () -> {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
    }
}
