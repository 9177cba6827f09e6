package io.gatehouse.as.clients;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document, AS-06): a {@code client_id} that is
 * an https URL names a JSON document describing the client. It is fetched through the {@link SsrfGuard}, with a
 * timeout, a size limit and no redirects; it must be a JSON object whose {@code client_id} equals the URL exactly
 * and which has {@code client_name} and valid {@code redirect_uris}; it is cached as its HTTP caching headers
 * allow (at most a day). Such clients are public: they authenticate with PKCE alone.
 */
public final class ClientMetadataDocuments implements ClientResolver {

    private static final Logger LOG = LoggerFactory.getLogger(ClientMetadataDocuments.class);
    private static final int MAX_BYTES = 16 * 1024;
    private static final Duration FETCH_DEADLINE = Duration.ofSeconds(5);
    private static final ExecutorService FETCHES = Executors.newVirtualThreadPerTaskExecutor();
    private static final Duration DEFAULT_CACHE = Duration.ofMinutes(5);
    private static final Duration MAX_CACHE = Duration.ofDays(1);
    private static final Pattern MAX_AGE = Pattern.compile("max-age=(\\d+)");
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private record Fetched(int status, String cacheControl, byte[] body) {
    }

    private record Cached(Optional<RegisteredClient> client, Instant until) {
    }

    private final SsrfGuard guard;
    private final HttpClient http;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public ClientMetadataDocuments(SsrfGuard guard, Clock clock) {
        this.guard = guard;
        this.clock = clock;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(3)).build();
    }

    /** Whether a client id is meant as a metadata document URL (https with a path). */
    public static boolean isDocumentUrl(String clientId) {
        return clientId.startsWith("https://") || clientId.startsWith("http://127.0.0.1") || clientId.startsWith("http://localhost");
    }

    @Override
    public Optional<RegisteredClient> resolve(String clientId) {
        if (!isDocumentUrl(clientId)) {
            return Optional.empty();
        }
        Cached cached = cache.get(clientId);
        if (cached != null && cached.until().isAfter(clock.instant())) {
            return cached.client();
        }
        Optional<RegisteredClient> client;
        Duration lifetime = DEFAULT_CACHE;
        try {
            URI url = new URI(clientId);
            if (url.getRawPath() == null || url.getRawPath().isEmpty() || url.getRawPath().equals("/") || url.getRawFragment() != null) {
                throw new IllegalArgumentException("a client id URL needs a path and no fragment");
            }
            Optional<String> problem = guard.problem(url);
            if (problem.isPresent()) {
                throw new IllegalArgumentException("refused to fetch " + clientId + ": " + problem.get());
            }
            // one deadline for the whole answer, body included: a server trickling its body must not hold a thread
            Future<Fetched> fetch = FETCHES.submit(() -> fetch(url));
            Fetched response;
            try {
                response = fetch.get(FETCH_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                fetch.cancel(true);
                throw new IOException("no complete answer within " + FETCH_DEADLINE.toSeconds() + " seconds");
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
            byte[] body = response.body();
            if (response.status() != 200) {
                throw new IllegalArgumentException("the document answered HTTP " + response.status());
            }
            if (body.length > MAX_BYTES) {
                throw new IllegalArgumentException("the document is larger than " + MAX_BYTES + " bytes");
            }
            client = Optional.of(parse(clientId, MAPPER.readTree(body)));
            lifetime = cacheLifetime(response.cacheControl());
        } catch (IllegalArgumentException | URISyntaxException | JacksonException e) {
            LOG.warn("Client metadata document {} refused: {}", clientId, e.getMessage());
            client = Optional.empty();
        } catch (IOException e) {
            LOG.warn("Client metadata document {} could not be fetched: {}", clientId, e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        if (!lifetime.isZero()) {
            cache.put(clientId, new Cached(client, clock.instant().plus(lifetime)));
        }
        return client;
    }

    /** GET the document: its status, Cache-Control and at most one byte more than the size limit. */
    private Fetched fetch(URI url) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(url).timeout(FETCH_DEADLINE)
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            return new Fetched(response.statusCode(), response.headers().firstValue("Cache-Control").orElse(""), in.readNBytes(MAX_BYTES + 1));
        }
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
            Duration d = Duration.ofSeconds(Long.parseLong(m.group(1)));
            return d.compareTo(MAX_CACHE) > 0 ? MAX_CACHE : d;
        }
        return DEFAULT_CACHE;
    }
}
