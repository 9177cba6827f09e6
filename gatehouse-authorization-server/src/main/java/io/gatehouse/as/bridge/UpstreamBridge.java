package io.gatehouse.as.bridge;

import io.gatehouse.as.web.AsJson;
import io.gatehouse.as.web.AsRequest;
import io.gatehouse.as.web.AsResponse;
import io.gatehouse.as.web.CallerLimit;
import io.gatehouse.as.web.OAuthRoutes;
import java.io.IOException;
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
 * needs is relayed ({@link BridgedRegistration}). Everything else (authorize, login, token) stays at the upstream server:
 * the bridge never sees user credentials or access tokens, forwards no {@code Authorization} header, and
 * drops the RFC 7592 registration access token from the answer (clients manage registrations upstream).
 * The metadata keeps the upstream {@code issuer}: tokens carry it, and RFC 9207 clients compare with it.
 */
public final class UpstreamBridge implements OAuthRoutes {

    public static final String METADATA = "/.well-known/oauth-authorization-server";
    public static final String OIDC_METADATA = "/.well-known/openid-configuration";
    public static final String REGISTER = "/oauth/register";

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamBridge.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_DOCUMENT = 256 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final int REGISTRATIONS_PER_CALLER = 10;
    static final int REGISTRATIONS_TOTAL = 100;
    static final Duration REGISTRATION_WINDOW = Duration.ofMinutes(10);
    private static final int CALLERS_REMEMBERED = 10_000;

    private final URI upstreamIssuer;
    private final URI registrationHere;
    private final Duration cacheTime;
    private final Clock clock;
    private final CallerLimit registrations;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(TIMEOUT).build();
    private volatile Fetched metadata;

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
        this.upstreamIssuer = upstreamIssuer;
        this.registrationHere = URI.create(publicBase.toString().replaceAll("/+$", "") + REGISTER);
        this.cacheTime = cacheTime;
        this.clock = clock;
        this.registrations = new CallerLimit(REGISTRATIONS_PER_CALLER, REGISTRATIONS_TOTAL, REGISTRATION_WINDOW, CALLERS_REMEMBERED, clock);
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
            Optional<Duration> wait = registrations.admit(request.remoteAddress());
            if (wait.isPresent()) {
                LOG.warn("Refused a client registration from {}: too many registrations", request.remoteAddress());
                return Optional.of(AsResponse.json(429, error("temporarily_unavailable", "Too many registrations; try again later"))
                        .withHeader("Retry-After", String.valueOf(wait.get().toSeconds())));
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
            LOG.warn("Upstream authorization server {}: {}", upstreamIssuer, e.getMessage());
            return Optional.of(AsResponse.json(502, error("temporarily_unavailable", "The authorization server cannot be reached")));
        }
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
        HttpResponse<byte[]> answer = send(HttpRequest.newBuilder(upstream).timeout(TIMEOUT)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(AsJson.write(relayed))).build());
        Map<String, Object> registered;
        try {
            registered = JSON.readValue(answer.body(), new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JacksonException e) {
            throw new UpstreamException("registration answered " + answer.statusCode() + " without a JSON object");
        }
        registered.remove("registration_access_token");
        registered.remove("registration_client_uri");
        LOG.info("Relayed a client registration to {}: HTTP {}, client_id {}", upstream, answer.statusCode(), registered.get("client_id"));
        return AsResponse.json(answer.statusCode(), AsJson.write(registered));
    }

    private Fetched metadata() throws UpstreamException {
        Fetched current = metadata;
        Instant now = clock.instant();
        if (current != null && current.at().plus(cacheTime).isAfter(now)) {
            return current;
        }
        URI discovery = URI.create(upstreamIssuer.toString().replaceAll("/+$", "") + OIDC_METADATA);
        HttpResponse<byte[]> answer = send(HttpRequest.newBuilder(discovery).timeout(TIMEOUT).header("Accept", "application/json").GET().build());
        if (answer.statusCode() != 200) {
            throw new UpstreamException(discovery + " answered HTTP " + answer.statusCode());
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
        Fetched fetched = new Fetched(document, registration, now);
        metadata = fetched;
        return fetched;
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws UpstreamException {
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.body().length > MAX_DOCUMENT) {
                throw new UpstreamException(request.uri() + " answered more than " + MAX_DOCUMENT + " bytes");
            }
            return response;
        } catch (IOException e) {
            throw new UpstreamException(request.uri() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException("interrupted");
        }
    }

    private static String error(String code, String description) {
        return AsJson.write(Map.of("error", code, "error_description", description));
    }

    private static final class UpstreamException extends Exception {
        UpstreamException(String message) {
            super(message);
        }
    }
}
