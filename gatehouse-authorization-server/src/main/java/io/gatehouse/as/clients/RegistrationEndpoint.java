package io.gatehouse.as.clients;

import io.gatehouse.as.web.AsJson;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.client.RegistrationError;
import io.gatehouse.as.AsSettings;
import io.gatehouse.as.web.AsRequest;
import io.gatehouse.as.web.AsResponse;
import io.gatehouse.as.web.OAuthErrors;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
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
 * with an initial access token.
 */
public final class RegistrationEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(RegistrationEndpoint.class);
    private static final Set<String> AUTH_METHODS = Set.of("none", "client_secret_basic", "client_secret_post");
    private static final Set<String> GRANT_TYPES = Set.of("authorization_code", "refresh_token", "client_credentials");

    private final AsSettings settings;
    private final ClientStore store;
    private final Clock clock;
    private final Deque<Instant> recent = new ArrayDeque<>();
    private final int maxPerMinute;

    public RegistrationEndpoint(AsSettings settings, ClientStore store, Clock clock, int maxPerMinute) {
        this.settings = settings;
        this.store = store;
        this.clock = clock;
        this.maxPerMinute = maxPerMinute;
    }

    public AsResponse register(AsRequest request) {
        if (settings.initialAccessToken().isPresent()) {
            String presented = request.header("authorization").orElse("").replaceFirst("(?i)^Bearer ", "");
            if (!Secrets.matches(presented, Secrets.hash(settings.initialAccessToken().get()))) {
                return OAuthErrors.json(new ErrorObject("invalid_token", "Registration needs a valid initial access token", 401));
            }
        }
        if (!admit()) {
            return OAuthErrors.json(new ErrorObject("temporarily_unavailable", "Too many registrations; try again in a minute", 429))
                    .withHeader("Retry-After", "60");
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
        List<URI> redirectUris = new ArrayList<>();
        Object uris = metadata.get("redirect_uris");
        if (!(uris instanceof JSONArray array) || array.isEmpty()) {
            return invalidRedirect("redirect_uris must be a non-empty array");
        }
        for (Object uri : array) {
            if (!(uri instanceof String text)) {
                return invalidRedirect("every redirect URI must be a string");
            }
            Optional<String> problem = RedirectUris.problem(text);
            if (problem.isPresent()) {
                return invalidRedirect("redirect URI " + problem.get());
            }
            redirectUris.add(URI.create(text));
        }
        String authMethod = string(metadata, "token_endpoint_auth_method").orElse("client_secret_basic");
        if (!AUTH_METHODS.contains(authMethod)) {
            return invalid("token_endpoint_auth_method must be one of " + AUTH_METHODS);
        }
        Set<String> grantTypes = strings(metadata.get("grant_types")).orElse(new LinkedHashSet<>(List.of("authorization_code")));
        if (!GRANT_TYPES.containsAll(grantTypes)) {
            return invalid("grant_types may only contain " + GRANT_TYPES);
        }
        if (grantTypes.contains("client_credentials") && authMethod.equals("none")) {
            return invalid("client_credentials needs a confidential client (a token_endpoint_auth_method other than none)");
        }
        Set<String> responseTypes = strings(metadata.get("response_types")).orElse(Set.of("code"));
        if (!responseTypes.equals(Set.of("code"))) {
            return invalid("response_types may only contain code");
        }
        String applicationType = string(metadata, "application_type").orElse("web");
        if (!applicationType.equals("web") && !applicationType.equals("native")) {
            return invalid("application_type must be web or native");
        }
        Set<String> scopes = new LinkedHashSet<>();
        string(metadata, "scope").ifPresent(s -> Arrays.stream(s.split(" ")).filter(x -> !x.isBlank()).forEach(scopes::add));
        scopes.retainAll(settings.scopesSupported());
        String clientId = Secrets.random(16);
        Optional<String> secret = authMethod.equals("none") ? Optional.empty() : Optional.of(Secrets.random(32));
        String name = string(metadata, "client_name").filter(n -> !n.isBlank()).orElse("Unnamed client");
        RegisteredClient client = new RegisteredClient(clientId, secret.map(Secrets::hash), name.length() > 100 ? name.substring(0, 100) : name,
                redirectUris, grantTypes, authMethod, applicationType, scopes, clock.instant());
        store.save(client);
        LOG.info("Registered client {} ({}, {}, redirect hosts {})", clientId, client.name(), authMethod,
                redirectUris.stream().map(URI::getHost).distinct().toList());
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
        if (!scopes.isEmpty()) {
            response.put("scope", String.join(" ", scopes));
        }
        return AsResponse.json(201, AsJson.write(response));
    }

    private synchronized boolean admit() {
        Instant now = clock.instant();
        while (!recent.isEmpty() && recent.peekFirst().isBefore(now.minus(Duration.ofMinutes(1)))) {
            recent.pollFirst();
        }
        if (recent.size() >= maxPerMinute) {
            return false;
        }
        recent.addLast(now);
        return true;
    }

    private static Optional<String> string(JSONObject json, String name) {
        return json.get(name) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    private static Optional<Set<String>> strings(Object value) {
        if (!(value instanceof JSONArray array)) {
            return Optional.empty();
        }
        Set<String> out = new LinkedHashSet<>();
        for (Object item : array) {
            out.add(String.valueOf(item));
        }
        return Optional.of(out);
    }

    private static AsResponse invalid(String description) {
        return OAuthErrors.json(RegistrationError.INVALID_CLIENT_METADATA.setDescription(description));
    }

    private static AsResponse invalidRedirect(String description) {
        return OAuthErrors.json(RegistrationError.INVALID_REDIRECT_URI.setDescription(description));
    }
}
