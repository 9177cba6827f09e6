package io.gatehouse.as.clients;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.gatehouse.as.web.CallerLimit;
import java.io.IOException;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document, AS-06): a {@code client_id} that is
 * an https URL names a JSON document describing the client. The URL must follow the draft's rules
 * ({@link DocumentUrl}); the document is fetched from an address the {@link SsrfGuard} checked and from no other
 * ({@link PinnedFetch}), with a timeout, a size limit and no redirects; it must be a JSON object whose
 * {@code client_id} equals the URL exactly and which has {@code client_name} and valid {@code redirect_uris}. Such
 * clients are public: they authenticate with PKCE alone.
 *
 * <p>What is remembered is bounded, since anyone can send any number of client ids: at most
 * {@value #MAX_DOCUMENTS} documents, each as long as its HTTP caching headers allow (at most a day), and apart from
 * them at most {@value #MAX_REFUSALS} refusals, each for a minute (a document that could not be fetched: ten
 * seconds), so a flood of made-up client ids cannot push out the documents. A client id that breaks the URL rules
 * is refused at once and not remembered at all.
 *
 * <p>Each fetch has one deadline ({@link #FETCH_DEADLINE}) for all of it: resolving the name, judging the
 * addresses and reading the answer, so neither a hostile DNS server nor a trickling server holds a request longer. A
 * caller (IP address, IPv6 /64) making the server fetch, through {@link #resolve(String, String)}, may cause
 * {@value #FETCHES_PER_CALLER} fetches per {@link #FETCH_WINDOW}; documents and refusals it finds remembered do not
 * count. Past that, {@link TooManyFetches}. And since a name's resolution cannot be interrupted (the deadline ends
 * the request's wait, not the lookup), at most {@value #MAX_FETCHES_IN_FLIGHT} fetches run at once, whoever asked:
 * a fetch starts only when one of these places is free, keeps it until its task really ends, and when none is free
 * the request is refused at once with {@link TooManyFetches}. Remembered documents are answered all the same.
 */
public final class ClientMetadataDocuments implements ClientResolver {

    public static final int MAX_DOCUMENTS = 1_000;
    public static final int MAX_REFUSALS = 1_000;
    static final Duration REFUSAL_LIFETIME = Duration.ofMinutes(1);
    static final Duration UNREACHABLE_LIFETIME = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(ClientMetadataDocuments.class);
    private static final int MAX_BYTES = 16 * 1024;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration FETCH_DEADLINE = Duration.ofSeconds(5);
    static final int FETCHES_PER_CALLER = 30;
    static final Duration FETCH_WINDOW = Duration.ofMinutes(1);
    private static final int CALLERS_REMEMBERED = 10_000;
    /** How many fetches may run at once, lookups that outlived their deadline included. */
    public static final int MAX_FETCHES_IN_FLIGHT = 16;
    private static final ExecutorService FETCHES = Executors.newVirtualThreadPerTaskExecutor();
    private static final Duration DEFAULT_CACHE = Duration.ofMinutes(5);
    private static final Duration MAX_CACHE = Duration.ofDays(1);
    private static final Pattern MAX_AGE = Pattern.compile("max-age=(\\d+)");
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** A document (or a refusal) and how long it may be remembered. */
    private record Remembered<T>(T value, Duration lifetime) {
    }

    private final SsrfGuard guard;
    private final Clock clock;
    private final SSLSocketFactory tls;
    private final Cache<String, Remembered<RegisteredClient>> documents;
    private final Cache<String, Remembered<String>> refusals;
    private final CallerLimit fetches;
    private final Semaphore inFlight = new Semaphore(MAX_FETCHES_IN_FLIGHT);

    public ClientMetadataDocuments(SsrfGuard guard, Clock clock) {
        this(guard, clock, defaultTls());
    }

    /** With the TLS settings (trusted certificates) documents are fetched with. */
    ClientMetadataDocuments(SsrfGuard guard, Clock clock, SSLSocketFactory tls) {
        this.guard = guard;
        this.clock = clock;
        this.tls = tls;
        this.documents = cache(MAX_DOCUMENTS, clock);
        this.refusals = cache(MAX_REFUSALS, clock);
        // per caller only: one request causes at most one fetch, so callers together amplify nothing, and a shared
        // cap would let one crowd of addresses close documents for everyone
        this.fetches = new CallerLimit(FETCHES_PER_CALLER, Integer.MAX_VALUE, FETCH_WINDOW, CALLERS_REMEMBERED, clock);
    }

    private static <T> Cache<String, Remembered<T>> cache(int maxEntries, Clock clock) {
        return Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .executor(Runnable::run)
                .ticker(ticker(clock))
                .expireAfter(Expiry.<String, Remembered<T>>creating((id, remembered) -> remembered.lifetime()))
                .build();
    }

    /** Caffeine's time is the clock's, so expiry follows the same clock as everything else (and the tests' clock). */
    private static Ticker ticker(Clock clock) {
        return () -> {
            Instant now = clock.instant();
            return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
        };
    }

    private static SSLSocketFactory defaultTls() {
        try {
            return SSLContext.getDefault().getSocketFactory();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context", e);
        }
    }

    /** Whether a client id is meant as a metadata document URL (https, or http on a loopback host). */
    public static boolean isDocumentUrl(String clientId) {
        return DocumentUrl.isCandidate(clientId);
    }

    /** Documents and refusals remembered now; never more than {@value #MAX_DOCUMENTS} plus {@value #MAX_REFUSALS}. */
    public long remembered() {
        documents.cleanUp();
        refusals.cleanUp();
        return documents.estimatedSize() + refusals.estimatedSize();
    }

    /** Resolves without counting fetches against a caller: for the server's own use, never for a request. */
    @Override
    public Optional<RegisteredClient> resolve(String clientId) {
        return resolve(clientId, Optional.empty());
    }

    /**
     * Resolves for a request from {@code caller}.
     *
     * @throws TooManyFetches when the document would have to be fetched and the caller has made too many fetches
     */
    @Override
    public Optional<RegisteredClient> resolve(String clientId, String caller) {
        return resolve(clientId, Optional.of(caller));
    }

    private Optional<RegisteredClient> resolve(String clientId, Optional<String> caller) {
        if (!isDocumentUrl(clientId)) {
            return Optional.empty();
        }
        URI url;
        try {
            url = DocumentUrl.parse(clientId);
        } catch (IllegalArgumentException e) {
            LOG.warn("Client metadata document refused: {}", e.getMessage());
            return Optional.empty();
        }
        Remembered<RegisteredClient> document = documents.getIfPresent(clientId);
        if (document != null) {
            return Optional.of(document.value());
        }
        if (refusals.getIfPresent(clientId) != null) {
            return Optional.empty();
        }
        if (caller.isPresent()) {
            Optional<Duration> wait = fetches.admit(caller.get());
            if (wait.isPresent()) {
                LOG.warn("Refused to fetch a client metadata document for {}: too many fetches", caller.get());
                throw new TooManyFetches(wait.get());
            }
        }
        if (!inFlight.tryAcquire()) {
            LOG.warn("Refused to fetch a client metadata document: {} fetches are running already", MAX_FETCHES_IN_FLIGHT);
            throw new TooManyFetches(FETCH_DEADLINE);
        }
        try {
            Remembered<RegisteredClient> fetched = fetchAndParse(clientId, url);
            if (!fetched.lifetime().isZero()) {
                documents.put(clientId, fetched);
            }
            return Optional.of(fetched.value());
        } catch (IllegalArgumentException e) {
            LOG.warn("Client metadata document {} refused: {}", clientId, e.getMessage());
            refusals.put(clientId, new Remembered<>("refused", REFUSAL_LIFETIME));
        } catch (IOException e) {
            LOG.warn("Client metadata document {} could not be fetched: {}", clientId, e.getMessage());
            refusals.put(clientId, new Remembered<>("unreachable", UNREACHABLE_LIFETIME));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }

    private Remembered<RegisteredClient> fetchAndParse(String clientId, URI url) throws IOException, InterruptedException {
        // one deadline for all of it, the name's resolution and the body included: neither a hostile DNS server nor
        // a server trickling its body may hold the request (or a thread) longer; the place in flight taken by the caller is given back when the task ends, not at the deadline: a lookup
        // the deadline could not interrupt still holds its thread
        AtomicReference<PinnedFetch> pinned = new AtomicReference<>();
        AtomicBoolean started = new AtomicBoolean();
        Future<PinnedFetch.Response> fetch;
        try {
            fetch = FETCHES.submit(() -> {
                if (!started.compareAndSet(false, true)) {
                    throw new IOException("cancelled before it started");
                }
                try {
                    SsrfGuard.Decision decision = guard.decide(url);
                    if (!decision.allowed()) {
                        throw new IllegalArgumentException("refused to fetch it: " + decision.problem().orElseThrow());
                    }
                    PinnedFetch connection = new PinnedFetch(url, decision.addresses(), tls, CONNECT_TIMEOUT, FETCH_DEADLINE, MAX_BYTES);
                    pinned.set(connection);
                    return connection.get();
                } finally {
                    inFlight.release();
                }
            });
        } catch (RuntimeException e) {
            inFlight.release();
            throw e;
        }
        PinnedFetch.Response response;
        try {
            response = fetch.get(FETCH_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            fetch.cancel(true);
            if (started.compareAndSet(false, true)) {
                inFlight.release(); // the task never ran and never will
            }
            PinnedFetch connection = pinned.get();
            if (connection != null) {
                connection.abort();
            }
            throw new IOException("no complete answer within " + FETCH_DEADLINE.toSeconds() + " seconds");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IllegalArgumentException refused) {
                throw refused;
            }
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
        if (response.status() != 200) {
            throw new IllegalArgumentException("the document answered HTTP " + response.status());
        }
        if (response.body().length > MAX_BYTES) {
            throw new IllegalArgumentException("the document is larger than " + MAX_BYTES + " bytes");
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(response.body());
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the document is not JSON");
        }
        return new Remembered<>(parse(clientId, json), cacheLifetime(response.cacheControl()));
    }

    private RegisteredClient parse(String clientId, JsonNode document) {
        if (!document.isObject()) {
            throw new IllegalArgumentException("the document is not a JSON object");
        }
        if (!clientId.equals(document.path("client_id").asString(""))) {
            throw new IllegalArgumentException("the document's client_id does not equal its URL");
        }
        String name = document.path("client_name").asString("");
        if (name.isBlank()) {
            throw new IllegalArgumentException("the document has no client_name");
        }
        ClientNames.problem(name).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        List<String> uris = new ArrayList<>();
        document.path("redirect_uris").forEach(uri -> uris.add(uri.asString("")));
        RedirectUris.listProblem(uris).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        List<URI> redirects = uris.stream().map(URI::create).toList();
        String method = document.path("token_endpoint_auth_method").asString("none");
        if (!method.equals("none")) {
            throw new IllegalArgumentException("only public clients (token_endpoint_auth_method none) are supported by documents");
        }
        Set<String> grants = new LinkedHashSet<>();
        document.path("grant_types").forEach(g -> grants.add(g.asString("")));
        if (grants.isEmpty()) {
            grants.add("authorization_code");
        }
        if (grants.contains("client_credentials")) {
            // finding SEC10-1: whoever controls a URL must not get a machine identity of its own
            throw new IllegalArgumentException("client_credentials is not available to clients described by a metadata document");
        }
        grants.retainAll(Set.of("authorization_code", "refresh_token"));
        return new RegisteredClient(clientId, Optional.empty(), ClientNames.truncate(name), redirects,
                grants, "none", "native", Set.of(RegisteredClient.ANY_SCOPE), clock.instant(), ClientOrigin.METADATA_DOCUMENT, false);
    }

    static Duration cacheLifetime(String cacheControl) {
        if (cacheControl.contains("no-store") || cacheControl.contains("no-cache")) {
            return Duration.ZERO;
        }
        Matcher m = MAX_AGE.matcher(cacheControl);
        if (m.find()) {
            if (m.group(1).length() > 9) {
                return MAX_CACHE;
            }
            Duration d = Duration.ofSeconds(Long.parseLong(m.group(1)));
            return d.compareTo(MAX_CACHE) > 0 ? MAX_CACHE : d;
        }
        return DEFAULT_CACHE;
    }
}
