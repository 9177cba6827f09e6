package io.gatehouse.as.clients;

import io.gatehouse.as.web.AsJson;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.client.RegistrationError;
import io.gatehouse.as.AsMetrics;
import io.gatehouse.as.AsSettings;
import io.gatehouse.as.web.AsRequest;
import io.gatehouse.as.web.CallerLimit;
import io.gatehouse.as.web.AsResponse;
import io.gatehouse.as.web.OAuthErrors;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.minidev.json.JSONArray;
import net.minidev.json.JSONObject;
import net.minidev.json.parser.JSONParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 7591 dynamic client registration (deprecated by MCP 2026-07-28 in favour of client ID metadata documents,
 * but what most MCP clients still use). Redirect URIs must be https or loopback http, without fragments; the
 * requested {@code token_endpoint_auth_method} is honoured; registration is rate-limited and can be closed
 * with an initial access token. Only a registration that presents that token may ask for
 * {@code client_credentials} (with the scopes it names): a client that registered itself gets tokens only for a
 * user who logs in and consents. Every value is checked for type, length and characters before it is stored, and
 * error descriptions never repeat what was sent.
 */
public final class RegistrationEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(RegistrationEndpoint.class);
    private static final Set<String> AUTH_METHODS = Set.of("none", "client_secret_basic", "client_secret_post");
    private static final Set<String> GRANT_TYPES = Set.of("authorization_code", "refresh_token", "client_credentials");

    private final AsSettings settings;
    private final ClientStore store;
    private final Clock clock;
    private final CallerLimit limit;
    private final AsMetrics metrics;

    /** At most {@code perCallerPerMinute} registrations a minute from one address, ten times that from all together. */
    public RegistrationEndpoint(AsSettings settings, ClientStore store, Clock clock, int perCallerPerMinute) {
        this(settings, store, clock, perCallerPerMinute, AsMetrics.unread());
    }

    /** @param metrics where registrations are counted */
    public RegistrationEndpoint(AsSettings settings, ClientStore store, Clock clock, int perCallerPerMinute, AsMetrics metrics) {
        this.metrics = metrics;
        this.settings = settings;
        this.store = store;
        this.clock = clock;
        // one caller cannot use up what everyone shares
        this.limit = new CallerLimit(perCallerPerMinute, perCallerPerMinute * 10, Duration.ofMinutes(1), 10_000, clock);
    }

    public AsResponse register(AsRequest request) {
        boolean withToken = settings.initialAccessToken().isPresent();
        if (withToken) {
            String presented = request.header("authorization").orElse("").replaceFirst("(?i)^Bearer ", "");
            if (!Secrets.matches(presented, Secrets.hash(settings.initialAccessToken().get()))) {
                return OAuthErrors.json(new ErrorObject("invalid_token", "Registration needs a valid initial access token", 401));
            }
        }
        Optional<Duration> wait = limit.admit(request.remoteAddress());
        if (wait.isPresent()) {
            return OAuthErrors.json(new ErrorObject("temporarily_unavailable", "Too many registrations; try again later", 429))
                    .withHeader("Retry-After", String.valueOf(wait.get().toSeconds()));
        }
        JSONObject metadata;
        try {
            Object parsed = new JSONParser(JSONParser.MODE_RFC4627).parse(request.bodyText());
            if (!(parsed instanceof JSONObject object)) {
                return invalid("The registration request must be a JSON object");
            }
            metadata = object;
        } catch (net.minidev.json.parser.ParseException e) {
            return invalid("The registration request is not valid JSON");
        }
        Optional<List<String>> uris = strings(metadata.get("redirect_uris"));
        if (uris.isEmpty()) {
            return invalidRedirect("redirect_uris must be a non-empty array of strings");
        }
        Optional<String> redirectProblem = RedirectUris.listProblem(uris.get());
        if (redirectProblem.isPresent()) {
            return invalidRedirect(redirectProblem.get());
        }
        List<URI> redirectUris = uris.get().stream().map(URI::create).toList();
        if (malformedList(metadata, "grant_types") || malformedList(metadata, "response_types")) {
            return invalid("grant_types and response_types must be non-empty arrays of strings");
        }
        String authMethod = string(metadata, "token_endpoint_auth_method").orElse("client_secret_basic");
        if (!AUTH_METHODS.contains(authMethod)) {
            return invalid("token_endpoint_auth_method must be one of " + AUTH_METHODS);
        }
        Set<String> grantTypes = strings(metadata.get("grant_types")).<Set<String>>map(LinkedHashSet::new)
                .orElse(new LinkedHashSet<>(List.of("authorization_code")));
        if (!GRANT_TYPES.containsAll(grantTypes)) {
            return invalid("grant_types may only contain " + GRANT_TYPES);
        }
        boolean machine = grantTypes.contains("client_credentials");
        if (machine && !withToken) {
            // finding SEC10-1: a client that registered itself acts only for a user who logs in and consents
            return invalid("client_credentials is only for clients the operator configures (the clients section of the "
                    + "config file, or registration with the initial access token)");
        }
        if (machine && authMethod.equals("none")) {
            return invalid("client_credentials needs a confidential client (a token_endpoint_auth_method other than none)");
        }
        Set<String> responseTypes = strings(metadata.get("response_types")).<Set<String>>map(LinkedHashSet::new).orElse(Set.of("code"));
        if (!responseTypes.equals(Set.of("code"))) {
            return invalid("response_types may only contain code");
        }
        String applicationType = string(metadata, "application_type").orElse("web");
        if (!applicationType.equals("web") && !applicationType.equals("native")) {
            return invalid("application_type must be web or native");
        }
        if (metadata.containsKey("scope") && !(metadata.get("scope") instanceof String)) {
            return invalid("scope must be a string of space-separated scopes");
        }
        Set<String> scopes = scopes(string(metadata, "scope"));
        if (machine && (scopes.isEmpty() || scopes.contains(RegisteredClient.ANY_SCOPE))) {
            return invalid("a client_credentials client must name the scopes it needs in scope (of " + settings.scopesSupported() + ")");
        }
        if (metadata.containsKey("client_name") && !(metadata.get("client_name") instanceof String)) {
            return invalid("client_name must be a string");
        }
        String name = string(metadata, "client_name").filter(n -> !n.isBlank()).orElse("Unnamed client");
        Optional<String> nameProblem = ClientNames.problem(name);
        if (nameProblem.isPresent()) {
            return invalid(nameProblem.get());
        }
        String clientId = Secrets.random(16);
        Optional<String> secret = authMethod.equals("none") ? Optional.empty() : Optional.of(Secrets.random(32));
        RegisteredClient client = new RegisteredClient(clientId, secret.map(Secrets::hash), ClientNames.truncate(name),
                redirectUris, grantTypes, authMethod, applicationType, scopes, clock.instant(),
                withToken ? ClientOrigin.REGISTERED_WITH_TOKEN : ClientOrigin.SELF_REGISTERED, false);
        store.save(client);
        metrics.clientRegistered();
        LOG.info("Registered client {} ({}, {}, {}, redirect hosts {})", clientId, client.name(), authMethod,
                client.origin().storedValue(), redirectUris.stream().map(URI::getHost).distinct().toList());
        JSONObject response = new JSONObject();
        response.put("client_id", clientId);
        secret.ifPresent(s -> {
            response.put("client_secret", s);
            response.put("client_secret_expires_at", 0);
        });
        response.put("client_id_issued_at", client.registeredAt().getEpochSecond());
        response.put("client_name", client.name());
        response.put("redirect_uris", redirectUris.stream().map(URI::toString).toList());
        response.put("grant_types", List.copyOf(grantTypes));
        response.put("response_types", List.of("code"));
        response.put("token_endpoint_auth_method", authMethod);
        response.put("application_type", applicationType);
        Set<String> granted = client.scopesWithin(settings.scopesSupported());
        if (!granted.isEmpty()) {
            response.put("scope", String.join(" ", granted));
        }
        return AsResponse.json(201, AsJson.write(response));
    }

    /**
     * The scopes a client registers: those it names that the server supports (possibly none); when it names none,
     * {@value RegisteredClient#ANY_SCOPE} (RFC 7591 section 2 lets the server pick a default): such a client acts only
     * for a user, whose own scopes and consent decide what each token carries.
     */
    private Set<String> scopes(Optional<String> requested) {
        if (requested.isEmpty()) {
            return Set.of(RegisteredClient.ANY_SCOPE);
        }
        Set<String> scopes = new LinkedHashSet<>();
        Arrays.stream(requested.get().split(" ")).filter(settings.scopesSupported()::contains).forEach(scopes::add);
        return scopes;
    }

    private static Optional<String> string(JSONObject json, String name) {
        return json.get(name) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /** A JSON array of strings (an empty Optional when it is missing, not an array, empty, or holds a non-string). */
    private static Optional<List<String>> strings(Object value) {
        if (!(value instanceof JSONArray array) || array.isEmpty()) {
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        for (Object item : array) {
            if (!(item instanceof String text)) {
                return Optional.empty();
            }
            out.add(text);
        }
        return Optional.of(out);
    }

    private static boolean malformedList(JSONObject metadata, String name) {
        return metadata.containsKey(name) && strings(metadata.get(name)).isEmpty();
    }

    private static AsResponse invalid(String description) {
        return OAuthErrors.json(OAuthErrors.describe(RegistrationError.INVALID_CLIENT_METADATA, description));
    }

    private static AsResponse invalidRedirect(String description) {
        return OAuthErrors.json(OAuthErrors.describe(RegistrationError.INVALID_REDIRECT_URI, description));
    }
}
