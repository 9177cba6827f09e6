package io.gatehouse.as.bridge;

import io.gatehouse.as.web.AsJson;
import io.gatehouse.as.web.AsRequest;
import io.gatehouse.as.web.AsResponse;
import io.gatehouse.as.web.CallerLimit;
import io.gatehouse.as.web.OAuthRoutes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fills two gaps of an upstream authorization server (Keycloak) for MCP clients, on Gatehouse's own origin:
 * its metadata at {@code /.well-known/oauth-authorization-server} (and the OIDC path), with CORS and with
 * {@code registration_endpoint} pointing here; and {@code POST /oauth/register}, relayed to the upstream
 * registration endpoint with CORS. Registration goes out from Gatehouse's address, which the provider may trust
 * more than the caller's, so it is not an open proxy: each caller (IP address, IPv6 /64) may register
 * {@value #REGISTRATIONS_PER_CALLER} clients per {@link #REGISTRATION_WINDOW} and everyone together
 * {@value #REGISTRATIONS_TOTAL} (429 with {@code Retry-After} past that), and only the metadata an MCP client
 * needs is relayed ({@link BridgedRegistration}). A caller's own limit counts every request it makes, so junk from
 * one address is limited too; the shared limit counts only requests that are relayed (a body that parsed and passed
 * {@link BridgedRegistration}), so invalid bodies from many addresses cannot close registration for everyone. Everything else (authorize, login, token) stays at the upstream server:
 * the bridge never sees user credentials or access tokens, forwards no {@code Authorization} header, and
 * drops the RFC 7592 registration access token from the answer (clients manage registrations upstream).
 * The metadata keeps the upstream {@code issuer}: tokens carry it, and RFC 9207 clients compare with it.
 *
 * <p>Every exchange with the upstream has one deadline for the whole answer, body included, and reads at most
 * {@value #MAX_DOCUMENT} bytes of it: a huge or trickled body cannot exhaust the heap or hold a request. The metadata
 * is fetched by one request at a time (the others wait for it, or use the copy they have), and a failed fetch is
 * remembered for {@link #FAILURE_MEMORY}: meanwhile requests are answered 502 at once, without asking the upstream.
 */
public final class UpstreamBridge implements OAuthRoutes {

    public static final String METADATA = "/.well-known/oauth-authorization-server";
    public static final String OIDC_METADATA = "/.well-known/openid-configuration";
    public static final String REGISTER = "/oauth/register";

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamBridge.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_DOCUMENT = 256 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final Duration FAILURE_MEMORY = Duration.ofSeconds(5);
    private static final ExecutorService EXCHANGES = Executors.newVirtualThreadPerTaskExecutor();
    static final int REGISTRATIONS_PER_CALLER = 10;
    static final int REGISTRATIONS_TOTAL = 100;
    static final Duration REGISTRATION_WINDOW = Duration.ofMinutes(10);
    private static final int CALLERS_REMEMBERED = 10_000;

    private final URI upstreamIssuer;
    private final URI registrationHere;
    private final Duration cacheTime;
    private final Clock clock;
    private final CallerLimit attempts;
    private final CallerLimit relays;
    private final Duration deadline;
    private final ReentrantLock fetching = new ReentrantLock();
    private volatile Fetched metadata;
    private volatile Failed failed;

    /** A metadata fetch that failed, remembered until {@code until}. */
    private record Failed(String problem, Instant until) {
    }

    /** An upstream answer: its status and at most {@value #MAX_DOCUMENT} bytes of body. */
    private record Answer(int status, byte[] body) {
    }

    private record Fetched(Map<String, Object> document, Optional<URI> registration, Instant at) {

        /** The provider's {@code scopes_supported}; empty when it names none. */
        Set<String> scopes() {
            return document.get("scopes_supported") instanceof List<?> list
                    ? list.stream().filter(String.class::isInstance).map(String.class::cast).collect(Collectors.toSet()) : Set.of();
        }
    }

    /**
     * @param upstreamIssuer the upstream server's issuer, exactly as in its tokens
     * @param publicBase     Gatehouse's public origin, e.g. {@code http://localhost:9000}
     */
    public UpstreamBridge(URI upstreamIssuer, URI publicBase, Duration cacheTime, Clock clock) {
        this(upstreamIssuer, publicBase, cacheTime, clock, TIMEOUT);
    }

    /** With the deadline for each whole exchange with the upstream (tests shorten it). */
    UpstreamBridge(URI upstreamIssuer, URI publicBase, Duration cacheTime, Clock clock, Duration deadline) {
        this.upstreamIssuer = upstreamIssuer;
        this.deadline = deadline;

        this.registrationHere = URI.create(publicBase.toString().replaceAll("/+$", "") + REGISTER);
        this.cacheTime = cacheTime;
        this.clock = clock;
        this.attempts = new CallerLimit(REGISTRATIONS_PER_CALLER, Integer.MAX_VALUE, REGISTRATION_WINDOW, CALLERS_REMEMBERED, clock);
        this.relays = new CallerLimit(Integer.MAX_VALUE, REGISTRATIONS_TOTAL, REGISTRATION_WINDOW, 1, clock);
    }

    @Override
    public boolean owns(String path) {
        return path.equals(METADATA) || path.equals(OIDC_METADATA) || path.equals(REGISTER);
    }

    @Override
    public boolean isCrossOrigin(String path) {
        return owns(path);
    }

    @Override
    public Optional<AsResponse> handle(AsRequest request) {
        if (!owns(request.path())) {
            return Optional.empty();
        }
        boolean register = request.path().equals(REGISTER);
        String allowed = register ? "POST" : "GET";
        if (!request.method().equals(allowed)) {
            return Optional.of(AsResponse.json(405, error("invalid_request", "Use " + allowed)).withHeader("Allow", allowed));
        }
        if (register) {
            Optional<Duration> wait = attempts.admit(request.remoteAddress());
            if (wait.isPresent()) {
                LOG.warn("Refused a client registration from {}: too many registrations", request.remoteAddress());
                return Optional.of(tooManyRegistrations(wait.get()));
            }
        }
        try {
            Fetched upstream = metadata();
            if (!register) {
                return Optional.of(AsResponse.json(200, AsJson.write(upstream.document())).withHeader("Cache-Control", "public, max-age=300"));
            }
            if (upstream.registration().isEmpty()) {
                return Optional.of(AsResponse.json(404, error("invalid_request", "The authorization server offers no registration")));
            }
            return Optional.of(register(request, upstream.registration().get(), upstream.scopes()));
        } catch (UpstreamException e) {
            if (!e.remembered) {
                LOG.warn("Upstream authorization server {}: {}", upstreamIssuer, e.getMessage());
            }
            return Optional.of(AsResponse.json(502, error("temporarily_unavailable", "The authorization server cannot be reached")));
        }
    }

    private static AsResponse tooManyRegistrations(Duration wait) {
        return AsResponse.json(429, error("temporarily_unavailable", "Too many registrations; try again later"))
                .withHeader("Retry-After", String.valueOf(wait.toSeconds()));
    }

    private AsResponse register(AsRequest request, URI upstream, Set<String> supportedScopes) throws UpstreamException {
        Map<String, Object> body;
        try {
            body = JSON.readValue(request.body(), new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JacksonException e) {
            return AsResponse.json(400, error("invalid_client_metadata", "The body must be a JSON object"));
        }
        Map<String, Object> relayed;
        try {
            relayed = BridgedRegistration.of(body, supportedScopes);
        } catch (BridgedRegistration.Refused e) {
            LOG.info("Refused to relay a client registration from {}: {}", request.remoteAddress(), e.getMessage());
            return AsResponse.json(400, error(e.error(), e.getMessage()));
        }
        // the shared limit counts only what is relayed; every caller shares one window, hence one key
        Optional<Duration> wait = relays.admit("all");
        if (wait.isPresent()) {
            LOG.warn("Refused a client registration from {}: too many registrations relayed", request.remoteAddress());
            return tooManyRegistrations(wait.get());
        }
        Answer answer = send(HttpRequest.newBuilder(upstream).timeout(deadline)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(AsJson.write(relayed))).build());
        Map<String, Object> registered;
        try {
            registered = JSON.readValue(answer.body(), new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JacksonException e) {
            throw new UpstreamException("registration answered " + answer.status() + " without a JSON object");
        }
        registered.remove("registration_access_token");
        registered.remove("registration_client_uri");
        LOG.info("Relayed a client registration to {}: HTTP {}, client_id {}", upstream, answer.status(), registered.get("client_id"));
        return AsResponse.json(answer.status(), AsJson.write(registered));
    }

    /**
     * The upstream metadata: the cached copy while it is fresh; else one request fetches it while the others wait
     * for that fetch (or, holding an older copy, use it meanwhile); a failure is answered from memory for
     * {@link #FAILURE_MEMORY}.
     */
    private Fetched metadata() throws UpstreamException {
        Fetched current = metadata;
        if (isFresh(current)) {
            return current;
        }
        rememberedFailure();
        boolean mine;
        if (current != null) {
            mine = fetching.tryLock();
            if (!mine) {
                return current;
            }
        } else {
            try {
                mine = fetching.tryLock(deadline.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UpstreamException("interrupted");
            }
            if (!mine) {
                throw new UpstreamException("the metadata is still being fetched");
            }
        }
        try {
            current = metadata;
            if (isFresh(current)) {
                return current;
            }
            rememberedFailure();
            try {
                Fetched fetched = fetchMetadata();
                metadata = fetched;
                failed = null;
                return fetched;
            } catch (UpstreamException e) {
                failed = new Failed(e.getMessage(), clock.instant().plus(FAILURE_MEMORY));
                throw e;
            }
        } finally {
            fetching.unlock();
        }
    }

    private boolean isFresh(Fetched fetched) {
        return fetched != null && fetched.at().plus(cacheTime).isAfter(clock.instant());
    }

    private void rememberedFailure() throws UpstreamException {
        Failed failure = failed;
        if (failure != null && failure.until().isAfter(clock.instant())) {
            throw new UpstreamException(failure.problem(), true);
        }
    }

    private Fetched fetchMetadata() throws UpstreamException {
        Instant now = clock.instant();
        URI discovery = URI.create(upstreamIssuer.toString().replaceAll("/+$", "") + OIDC_METADATA);
        Answer answer = send(HttpRequest.newBuilder(discovery).timeout(deadline).header("Accept", "application/json").GET().build());
        if (answer.status() != 200) {
            throw new UpstreamException(discovery + " answered HTTP " + answer.status());
        }
        Map<String, Object> document;
        try {
            document = JSON.readValue(answer.body(), new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JacksonException e) {
            throw new UpstreamException(discovery + " is not a JSON object");
        }
        if (!upstreamIssuer.toString().equals(document.get("issuer"))) {
            throw new UpstreamException(discovery + " names issuer " + document.get("issuer") + ", expected " + upstreamIssuer);
        }
        Optional<URI> registration = Optional.ofNullable(document.get("registration_endpoint")).map(String::valueOf).map(URI::create);
        if (registration.isPresent()) {
            document.put("registration_endpoint", registrationHere.toString());
        }
        return new Fetched(document, registration, now);
    }

    /**
     * One exchange with the upstream under one deadline for the whole answer, body included; reads at most one byte
     * past {@value #MAX_DOCUMENT} and then stops (the rest is never read). Each exchange has a client of its own,
     * shut down when it ends however it ends: that closes the connection, so neither an endless body nor a trickling
     * one keeps a connection, a thread or this request.
     */
    private Answer send(HttpRequest request) throws UpstreamException {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(deadline).build();
        Future<Answer> exchange = EXCHANGES.submit(() -> {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                return new Answer(response.statusCode(), in.readNBytes(MAX_DOCUMENT + 1));
            }
        });
        Answer answer;
        try {
            answer = exchange.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new UpstreamException(request.uri() + ": no complete answer within " + deadline.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new UpstreamException(request.uri() + ": " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException("interrupted");
        } finally {
            exchange.cancel(true);
            http.shutdownNow();
        }
        if (answer.body().length > MAX_DOCUMENT) {
            throw new UpstreamException(request.uri() + " answered more than " + MAX_DOCUMENT + " bytes");
        }
        return answer;
    }

    private static String error(String code, String description) {
        return AsJson.write(Map.of("error", code, "error_description", description));
    }

    private static final class UpstreamException extends Exception {

        /** Whether this is a remembered failure (logged when it happened, not again). */
        private final boolean remembered;

        UpstreamException(String message) {
            this(message, false);
        }

        UpstreamException(String message, boolean remembered) {
            super(message);
            this.remembered = remembered;
        }
    }
}
