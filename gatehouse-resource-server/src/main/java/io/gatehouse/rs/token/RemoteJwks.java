package io.gatehouse.rs.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An identity provider's JWK set, found through its discovery document or at a fixed URL, held in memory. The
 * provider is only ever asked in the background, one fetch at a time, each bounded by {@code fetchTimeout};
 * a request never waits on it longer than that:
 * <ul>
 *   <li>a token whose key is held is verified at once, without a lock; a set older than {@code cacheTime} is
 *       refreshed in the background meanwhile, and kept while the provider is unreachable;</li>
 *   <li>an unknown key id waits for the next fetch that starts after it was seen (at most one fetch per
 *       {@code refetchInterval}, shared by every request waiting), so a key the provider has just rotated in is
 *       accepted within about that interval, however many junk key ids arrive meanwhile. A key id that such a
 *       fetch did not contain is refused without asking again only until {@code refetchInterval} has passed since
 *       that fetch started; after that it joins the next shared fetch, so a key asked for before the provider
 *       published it (a predicted key id, a lagging replica) is accepted as soon as the provider serves it;</li>
 *   <li>a failed or timed-out fetch is remembered: until a background probe (every {@link #FAILURE_MEMORY})
 *       succeeds, requests that need the provider fail at once with {@link KeysUnavailableException}, which
 *       says when to retry (503 {@code Retry-After}), never as an invalid token.</li>
 * </ul>
 */
final class RemoteJwks implements JWKSource<SecurityContext> {

    /** How long a failed fetch keeps requests from waiting on the provider, and how often it is probed meanwhile (tests may shorten it). */
    static final Duration FAILURE_MEMORY = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(RemoteJwks.class);
    private static final int MAX_DOCUMENT = 1024 * 1024;
    private static final int MAX_KID_REMEMBERED = 200;
    private static final long NOT_STARTED = Long.MIN_VALUE;
    private static final Executor BACKGROUND = command -> Thread.ofVirtual().name("jwks-fetch").start(command);

    private record Keys(JWKSet set, long fetchStartedAt, long fetchedAt) {
    }

    /** One fetch: when it may start, when it did, and what it brought. */
    private static final class Fetch {
        final long notBefore;
        volatile long startedAt = NOT_STARTED;
        boolean succeeded;
        final CompletableFuture<Keys> result = new CompletableFuture<>();

        Fetch(long notBefore) {
            this.notBefore = notBefore;
        }

        boolean startsAfter(long instant) {
            long started = startedAt;
            return started == NOT_STARTED || started - instant >= 0;
        }
    }

    private final Optional<String> issuer;
    private final ResourceRetriever retriever;
    private final long cacheNanos;
    private final long intervalNanos;
    private final long timeoutNanos;
    private final Duration timeout;
    private final long failureMemoryNanos;
    private final JwksStatus status;
    /** Key ids a fetch did not contain, with the instant that fetch started: refused until an interval after it. */
    private final Cache<String, Long> absent;

    private volatile URI jwksUri;
    private volatile Keys keys;
    private volatile boolean healthy = true;
    private volatile long retryAt;
    private volatile Fetch latest;

    RemoteJwks(Optional<String> issuer, URI jwksUri, Duration cacheTime, Duration refetchInterval, Duration fetchTimeout,
               Duration failureMemory, JwksStatus status) {
        this.issuer = issuer;
        this.jwksUri = jwksUri;
        this.cacheNanos = cacheTime.toNanos();
        this.intervalNanos = refetchInterval.toNanos();
        this.timeout = fetchTimeout;
        this.timeoutNanos = fetchTimeout.toNanos();
        this.failureMemoryNanos = failureMemory.toNanos();
        this.status = status;
        this.absent = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(refetchInterval).executor(Runnable::run).build();
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, fetchTimeout.toMillis()));
        this.retriever = new DefaultResourceRetriever(millis, millis, MAX_DOCUMENT);
        if (jwksUri != null) {
            status.resolved(jwksUri.toString());
        }
    }

    /** The set at a known URL. */
    static RemoteJwks at(URI jwksUri, Duration cacheTime, Duration refetchInterval, Duration fetchTimeout, JwksStatus status) {
        return new RemoteJwks(Optional.empty(), jwksUri, cacheTime, refetchInterval, fetchTimeout, FAILURE_MEMORY, status);
    }

    /** The set named by the issuer's metadata, looked up by the first fetch (in the background, like every fetch). */
    static RemoteJwks discovered(String issuer, Duration cacheTime, Duration refetchInterval, Duration fetchTimeout, JwksStatus status) {
        return new RemoteJwks(Optional.of(issuer), null, cacheTime, refetchInterval, fetchTimeout, FAILURE_MEMORY, status);
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        long arrival = System.nanoTime();
        Keys current = keys;
        String kid = kidOf(selector.getMatcher());
        if (current != null) {
            List<JWK> found = selector.select(current.set());
            if (!found.isEmpty()) {
                if (arrival - current.fetchedAt() > cacheNanos) {
                    refreshInBackground(arrival);
                }
                return found;
            }
            Long missingSince = kid == null ? null : absent.getIfPresent(kid);
            if (missingSince != null && arrival - missingSince < intervalNanos) {
                // a fetch that started after this key id was first seen did not have it, and no new fetch may start yet
                return List.of();
            }
        }
        if (!healthy) {
            probeIfDue(arrival);
            throw unavailable("the identity provider's keys cannot be fetched now", retryAt - System.nanoTime());
        }
        Keys fresh = await(fetchStartingAfter(arrival), arrival);
        List<JWK> found = selector.select(fresh.set());
        if (found.isEmpty() && kid != null) {
            absent.put(kid, fresh.fetchStartedAt());
        }
        return found;
    }

    private Keys await(Fetch fetch, long arrival) throws KeysUnavailableException {
        try {
            return fetch.result.get(Math.max(0, arrival + timeoutNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw unavailable("the identity provider's keys did not arrive within " + timeout, intervalNanos);
        } catch (ExecutionException e) {
            throw unavailable("the identity provider's keys cannot be fetched: " + e.getCause().getMessage(), retryAt - System.nanoTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while waiting for the identity provider's keys", 0);
        }
    }

    private static KeysUnavailableException unavailable(String message, long retryInNanos) {
        return new KeysUnavailableException(message, Duration.ofNanos(Math.max(0, retryInNanos)));
    }

    /** What a selector asks for, to remember as absent: its key id (if short enough) and algorithm. */
    private static String kidOf(JWKMatcher matcher) {
        String kid = matcher.getKeyIDs() == null || matcher.getKeyIDs().size() != 1 ? "" : matcher.getKeyIDs().iterator().next();
        if (kid == null) {
            kid = "";
        }
        return kid.length() <= MAX_KID_REMEMBERED ? kid + ' ' + matcher.getAlgorithms() : null;
    }

    private void refreshInBackground(long arrival) {
        if (!healthy) {
            probeIfDue(arrival);
            return;
        }
        Fetch f = latest;
        if (f == null || f.result.isDone()) {
            fetchStartingAfter(arrival);
        }
    }

    private void probeIfDue(long arrival) {
        if (arrival - retryAt < 0) {
            return;
        }
        synchronized (this) {
            if (arrival - retryAt < 0) {
                return;
            }
            retryAt = arrival + failureMemoryNanos;
        }
        fetchStartingAfter(arrival);
    }

    /** A fetch that starts at or after {@code instant}: the one already planned, or a new one, spaced from the last. */
    private Fetch fetchStartingAfter(long instant) {
        Fetch f = latest;
        if (f != null && f.startsAfter(instant)) {
            return f;
        }
        synchronized (this) {
            f = latest;
            if (f != null && f.startsAfter(instant)) {
                return f;
            }
            long now = System.nanoTime();
            Fetch next = new Fetch(f == null ? now : Math.max(now, f.startedAt + intervalNanos));
            latest = next;
            CompletableFuture<Keys> previous = f == null ? CompletableFuture.completedFuture(null) : f.result;
            previous.handle((k, e) -> null).thenRunAsync(() -> run(next), BACKGROUND);
            return next;
        }
    }

    private void run(Fetch fetch) {
        long wait;
        while ((wait = fetch.notBefore - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
        fetch.startedAt = System.nanoTime();
        CompletableFuture.delayedExecutor(timeoutNanos, TimeUnit.NANOSECONDS, BACKGROUND)
                .execute(() -> failed(fetch, "no answer within " + timeout));
        try {
            URI uri = jwksUri;
            if (uri == null) {
                uri = IssuerDiscovery.jwksUri(issuer.orElseThrow(), retriever);
                jwksUri = uri;
                status.resolved(uri.toString());
            }
            JWKSet set = JWKSet.parse(retriever.retrieveResource(uri.toURL()).getContent()).toPublicJWKSet();
            succeeded(fetch, new Keys(set, fetch.startedAt, System.nanoTime()));
        } catch (IOException | ParseException | RuntimeException e) {
            failed(fetch, e.getMessage() == null ? e.getClass().getSimpleName() : clean(e.getMessage()));
        }
    }

    /** An error text from the network, fit for a log line: no control characters, at most 200 characters. */
    private static String clean(String text) {
        String printable = text.codePoints().filter(c -> c >= 0x20 && c != 0x7F)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.length() > 200 ? printable.substring(0, 200) + "..." : printable;
    }

    // every completion of a fetch's result happens in these two methods, under the lock, after the state it reports

    private synchronized void succeeded(Fetch fetch, Keys fetched) {
        Keys current = keys;
        if (current == null || fetched.fetchStartedAt() - current.fetchStartedAt() >= 0) {
            keys = fetched;
        }
        if (!healthy) {
            LOG.info("The identity provider's keys can be fetched again");
        }
        healthy = true;
        fetch.succeeded = true;
        status.fetched(fetched.set().size());
        fetch.result.complete(fetched);
    }

    private synchronized void failed(Fetch fetch, String error) {
        if (fetch.succeeded || fetch.result.isDone()) {
            return;
        }
        if (healthy) {
            LOG.warn("The identity provider's keys cannot be fetched ({}); requests that need them get 503 until a probe succeeds",
                    error);
        }
        healthy = false;
        retryAt = System.nanoTime() + failureMemoryNanos;
        status.failed(error);
        fetch.result.completeExceptionally(new IOException(error));
    }
}
