package io.gatehouse.as.authorize;

import io.gatehouse.as.clients.Secrets;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Logged-in browsers, by an unguessable cookie value, and pending authorizations (validated requests awaiting login
 * and consent), by an unguessable id, both kept in a {@link BrowserStateStore} so that any node can continue what
 * another began. The store sees only SHA-256 hashes of the cookie values and ids.
 *
 * <p>Each session has its own CSRF token for the consent form: HMAC-SHA256 keyed with the session id (the cookie
 * value, 256 random bits) over a fixed label. It is derived, not stored, because every node must be able to show
 * it and check it, and storing it would let a reader of the database forge consent submissions from a victim's
 * browser (a cross-site form needs only the token: the browser adds the cookie); what the database holds, the
 * hash of the session id, does not give it, and no further secret has to be kept or shared. Knowing the cookie gives the token, which protects nothing less than
 * before: whoever has the cookie is the session already.
 *
 * <p>Anyone can create a pending authorization with one unauthenticated request, so the store bounds them (see
 * its implementations); every string in one is bounded ({@link ParameterLimits}). Sessions need a password, but are
 * capped in number too.
 */
final class BrowserSessions {

    record Session(String id, String username, String csrfToken, Instant expiresAt) {
    }

    private static final Duration SESSION_TTL = Duration.ofHours(8);
    static final Duration PENDING_TTL = Duration.ofMinutes(10);
    private static final byte[] CSRF_LABEL = "gatehouse consent csrf v1".getBytes(StandardCharsets.US_ASCII);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final BrowserStateStore store;
    private final Clock clock;

    BrowserSessions(BrowserStateStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    Session start(String username) {
        String id = Secrets.random(32);
        Instant expiresAt = clock.instant().plus(SESSION_TTL);
        store.putSession(Secrets.hash(id), username, expiresAt);
        return new Session(id, username, csrfToken(id), expiresAt);
    }

    Optional<Session> find(Optional<String> cookie) {
        return cookie.filter(c -> !c.isEmpty()).flatMap(id -> store.session(Secrets.hash(id))
                .filter(s -> s.expiresAt().isAfter(clock.instant()))
                .map(s -> new Session(id, s.username(), csrfToken(id), s.expiresAt())));
    }

    Instant pendingExpiry() {
        return clock.instant().plus(PENDING_TTL);
    }

    void park(PendingAuthorization authorization) {
        store.putPending(Secrets.hash(authorization.id()), encode(authorization), authorization.expiresAt());
    }

    Optional<PendingAuthorization> pending(Optional<String> id) {
        return id.filter(i -> !i.isEmpty()).flatMap(i -> store.pending(Secrets.hash(i)).flatMap(payload -> decode(i, payload)))
                .filter(p -> p.expiresAt().isAfter(clock.instant()));
    }

    /**
     * Takes out the pending authorization whose id hashes to {@code idHash} (a sign-in at the provider continues it):
     * present for exactly one of several concurrent callers, under a new id (the old one is spent).
     */
    Optional<PendingAuthorization> takeByHash(String idHash) {
        Optional<String> payload = store.pending(idHash);
        if (payload.isEmpty() || !store.takePending(idHash)) {
            return Optional.empty();
        }
        return decode(Secrets.random(24), payload.get()).filter(p -> p.expiresAt().isAfter(clock.instant()));
    }

    /** Ends a browser session (sign-out). */
    void end(Session session) {
        store.deleteSession(Secrets.hash(session.id()));
    }

    /** Ends a pending authorization: true for exactly one of several concurrent callers (on any node). */
    boolean done(PendingAuthorization authorization) {
        return store.takePending(Secrets.hash(authorization.id()));
    }

    void cleanUp() {
        store.deleteExpired(clock.instant());
    }

    BrowserStateStore.Held held() {
        return store.held();
    }

    static String csrfToken(String sessionId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(sessionId.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(CSRF_LABEL));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The pending authorization as JSON, without its id (the store keys it by the id's hash). */
    static String encode(PendingAuthorization p) {
        ObjectNode json = JSON.createObjectNode();
        ObjectNode client = json.putObject("client");
        client.put("id", p.client().clientId());
        client.put("name", p.client().name());
        p.client().allowedScopes().forEach(client.putArray("scopes")::add);
        client.put("selfRegistered", p.client().selfRegistered());
        client.put("nameVerified", p.client().nameVerified());
        json.put("redirectUri", p.redirectUri().toString());
        json.put("redirectUriInRequest", p.redirectUriInRequest());
        p.state().ifPresent(s -> json.put("state", s));
        json.put("codeChallenge", p.codeChallenge());
        ArrayNode scopes = json.putArray("scopes");
        p.requestedScopes().forEach(scopes::add);
        json.put("resource", p.resource().toString());
        json.put("expiresAt", p.expiresAt().toEpochMilli());
        return JSON.writeValueAsString(json);
    }

    /** What {@link #encode} wrote; empty (the sign-in counts as expired) when it cannot be read. */
    static Optional<PendingAuthorization> decode(String id, String payload) {
        try {
            JsonNode json = JSON.readTree(payload);
            JsonNode client = json.required("client");
            return Optional.of(new PendingAuthorization(id, new PendingAuthorization.Client(client.required("id").asString(),
                    client.required("name").asString(), strings(client.required("scopes")), client.required("selfRegistered").asBoolean(),
                    client.path("nameVerified").asBoolean(false)),
                    URI.create(json.required("redirectUri").asString()), json.required("redirectUriInRequest").asBoolean(),
                    json.has("state") ? Optional.of(json.get("state").asString()) : Optional.empty(),
                    json.required("codeChallenge").asString(), strings(json.required("scopes")),
                    URI.create(json.required("resource").asString()), Instant.ofEpochMilli(json.required("expiresAt").asLong())));
        } catch (JacksonException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new LinkedHashSet<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }
}
