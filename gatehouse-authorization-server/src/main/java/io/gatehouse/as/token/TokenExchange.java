package io.gatehouse.as.token;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.jwt.JWTClaimsSet;
import io.gatehouse.as.AsMetrics;
import io.gatehouse.as.AsSettings;
import io.gatehouse.as.clients.ClientOrigin;
import io.gatehouse.as.clients.ClientResolver;
import io.gatehouse.as.clients.RegisteredClient;
import io.gatehouse.as.users.User;
import io.gatehouse.as.web.OAuthException;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OAuth 2.0 Token Exchange (RFC 8693) by the embedded authorization server: a confidential client the operator
 * configured swaps a user's access token issued by this server (the subject token) for a short-lived one whose
 * audience is a downstream API the operator allowed that client ({@code token-exchange-audiences}). The new token
 * keeps the user as {@code sub}, names the client as actor ({@code act}, wrapping the subject token's own actor when
 * it had one: section 4.1), carries at most the subject token's scopes, and comes without a refresh token. It joins
 * the subject token's family, so revoking that family (reuse of a refresh token, the user withdrawing consent)
 * revokes it too.
 *
 * <p>The token endpoint's grant and {@link #exchange(String, String, String, Optional) the in-process call} run the
 * same checks here; the in-process call only skips client authentication (the caller is Gatehouse itself acting as a
 * configured client). Every exchange, granted or refused, is logged (never a token).
 */
public final class TokenExchange {

    /** The grant type of RFC 8693 section 2.1. */
    public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
    /** The only subject token type (and the issued token type): an access token of this server (section 3). */
    public static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
    /** An actor chain longer than this is refused (each exchange adds one; nothing real nests deeper). */
    static final int MAX_ACTORS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(TokenExchange.class);

    /**
     * An issued token.
     *
     * @param accessToken the JWT access token for the downstream
     * @param expiresAt   when it expires (its {@code exp}, in whole seconds)
     * @param scopes      the scopes it carries
     * @param lifetime    how long it lives from its issue ({@code exp - iat}; {@code expires_in})
     */
    public record Exchanged(String accessToken, Instant expiresAt, Set<String> scopes, Duration lifetime) {
        public Exchanged {
            scopes = Set.copyOf(scopes);
        }

        @Override
        public String toString() {
            return "Exchanged[expiresAt=" + expiresAt + ", scopes=" + new TreeSet<>(scopes) + ", lifetime=" + lifetime + "]";
        }
    }

    private final AsSettings settings;
    private final ClientResolver clients;
    private final TokenInspector inspector;
    private final TokenState state;
    private final AccessTokens accessTokens;
    private final CurrentUser users;
    private final AsMetrics metrics;

    /**
     * @param clients where the in-process call finds its client (the configured ones come first)
     * @param users   who the subject token's user is now (configured, or federated and confirmed upstream)
     * @param metrics where issued tokens are counted ({@code grant_type=token_exchange})
     */
    public TokenExchange(AsSettings settings, ClientResolver clients, TokenInspector inspector, TokenState state,
                         AccessTokens accessTokens, CurrentUser users, AsMetrics metrics) {
        this.settings = settings;
        this.clients = clients;
        this.inspector = inspector;
        this.state = state;
        this.accessTokens = accessTokens;
        this.users = users;
        this.metrics = metrics;
    }

    /**
     * Exchanges {@code subjectToken} (an access token this server issued to a user) for a token for {@code audience},
     * as the configured client {@code clientId}, without authenticating that client: for Gatehouse itself calling a
     * downstream as the user. Every other check of the token endpoint's grant applies.
     *
     * @param audience one of the client's {@code token-exchange-audiences} (URI or name)
     * @param scopes   the scopes wanted, all held by the subject token; empty means the subject token's
     * @throws TokenExchangeException when refused, with the OAuth error code the token endpoint would answer
     */
    public Exchanged exchange(String clientId, String subjectToken, String audience, Optional<Set<String>> scopes) {
        try {
            RegisteredClient client = clients.resolve(clientId == null ? "" : clientId)
                    .orElseThrow(() -> refuse(OAuth2Error.INVALID_CLIENT, clientId, "Unknown client"));
            return exchange(client, ACCESS_TOKEN_TYPE, subjectToken, audience == null ? List.of() : List.of(audience),
                    scopes.orElse(Set.of()));
        } catch (OAuthException e) {
            throw new TokenExchangeException(e.error().getCode(), e.error().getDescription());
        }
    }

    /**
     * The exchange for an authenticated (or in-process) {@code client}: the shared implementation.
     *
     * @param targets the requested {@code resource} and {@code audience} values (exactly one is allowed)
     * @param scopes  the requested scopes; empty means those of the subject token
     */
    Exchanged exchange(RegisteredClient client, String subjectTokenType, String subjectToken, List<String> targets,
                       Set<String> scopes) {
        try {
            Exchanged exchanged = issue(client, subjectTokenType, subjectToken, targets, scopes);
            metrics.tokenIssued("token_exchange");
            return exchanged;
        } catch (OAuthException e) {
            LOG.info("Token exchange refused for client {}: {}", client.clientId(), e.getMessage());
            throw e;
        }
    }

    private Exchanged issue(RegisteredClient client, String subjectTokenType, String subjectToken, List<String> targets,
                            Set<String> scopes) {
        if (client.origin() != ClientOrigin.CONFIGURED || client.isPublic() || !client.grantTypes().contains(GRANT_TYPE)) {
            throw new OAuthException(OAuth2Error.UNAUTHORIZED_CLIENT,
                    "Token exchange is only for confidential clients the operator configured with that grant");
        }
        if (!ACCESS_TOKEN_TYPE.equals(subjectTokenType)) {
            throw new OAuthException(OAuth2Error.INVALID_REQUEST, "subject_token_type must be " + ACCESS_TOKEN_TYPE);
        }
        if (subjectToken == null || subjectToken.isBlank()) {
            throw new OAuthException(OAuth2Error.INVALID_REQUEST, "subject_token is required");
        }
        String audience = target(client, targets);
        TokenInspector.Inspected subject = inspector.inspect(subjectToken).orElseThrow(() -> invalidGrant(
                "The subject_token is not a valid access token of this server: unknown issuer or key, expired or revoked"));
        String familyId = state.accessTokenFamily(subject.jti())
                .orElseThrow(() -> invalidGrant("The subject_token is not a valid access token of this server"));
        JWTClaimsSet claims = subject.claims();
        String username = text(claims, "preferred_username");
        Optional<User> found = users.of(familyId, claims.getSubject());
        if (found.isEmpty()) {
            // a user gone, disabled or refused upstream ends their grant here as at a refresh; a machine's own
            // client_credentials token (sub = client_id) is merely not a user's and keeps working for the machine
            if (!java.util.Objects.equals(claims.getSubject(), text(claims, "client_id"))) {
                state.revokeFamily(familyId);
                LOG.info("Token exchange: the user of the subject token no longer exists or is disabled; their grant is revoked");
            }
            throw invalidGrant("The subject_token is not a user's token, or its user no longer exists or is disabled");
        }
        User user = found.get();
        Set<String> held = words(text(claims, "scope"));
        Set<String> granted;
        if (scopes.isEmpty()) {
            granted = new LinkedHashSet<>(held);
            granted.removeIf(s -> !client.mayHave(s) || !user.mayHave(s));
        } else {
            if (!held.containsAll(scopes)) {
                throw new OAuthException(OAuth2Error.INVALID_SCOPE, "An exchange may narrow the subject token's scope but never widen it");
            }
            if (!scopes.stream().allMatch(s -> client.mayHave(s) && user.mayHave(s))) {
                throw new OAuthException(OAuth2Error.INVALID_SCOPE, "The client or the user may not have one of the requested scopes");
            }
            granted = new LinkedHashSet<>(scopes);
        }
        Set<String> roles = new LinkedHashSet<>(stringList(claims, "roles"));
        roles.retainAll(user.roles());
        Map<String, Object> act = actor(client.clientId(), claims);
        Instant now = state.now();
        Duration lifetime = settings.tokenExchangeLifetime();
        Duration subjectLeft = Duration.between(now, subject.expiresAt());
        if (subjectLeft.compareTo(lifetime) < 0) {
            lifetime = subjectLeft;
        }
        Grant grant = new Grant(familyId, client.clientId(), claims.getSubject(), username, roles, granted, null, now);
        AccessTokens.Issued issued = accessTokens.issueExchanged(grant, audience, lifetime, act);
        state.recordAccessToken(familyId, issued.jti(), issued.expiresAt());
        LOG.info("Token exchange granted: client {} for {} to audience {} (scopes {}, {} actor(s))", client.clientId(), username, audience,
                new TreeSet<>(granted), depth(act));
        // the JWT's exp is in whole seconds: report exactly it
        return new Exchanged(issued.token(), issued.expiresAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), granted, issued.lifetime());
    }

    /**
     * The one requested target, as the operator spelled it in the client's list (URIs compared in their canonical
     * form). Never this server's own resource: a token for it would be an MCP token minted without the user.
     */
    private String target(RegisteredClient client, List<String> targets) {
        if (targets.isEmpty()) {
            throw new OAuthException(OAuth2Error.INVALID_REQUEST, "Name the downstream in resource or audience");
        }
        if (targets.size() > 1) {
            throw new OAuthException(OAuth2Error.INVALID_TARGET, "Request one resource or audience at a time");
        }
        String wanted = targets.get(0);
        if (wanted == null || wanted.isBlank()) {
            throw new OAuthException(OAuth2Error.INVALID_TARGET, "The requested audience is empty");
        }
        if (settings.resources().stream().anyMatch(own -> sameTarget(own.toString(), wanted))) {
            throw new OAuthException(OAuth2Error.INVALID_TARGET, "Tokens for this server itself are not issued by token exchange");
        }
        return client.tokenExchangeAudiences().stream().filter(allowed -> sameTarget(allowed, wanted)).findFirst()
                .orElseThrow(() -> new OAuthException(OAuth2Error.INVALID_TARGET,
                        "The requested audience is not one this client may exchange tokens for"));
    }

    private static boolean sameTarget(String allowed, String wanted) {
        if (allowed.equals(wanted)) {
            return true;
        }
        URI a = uri(allowed);
        URI w = uri(wanted);
        return a != null && w != null && a.isAbsolute() && w.isAbsolute()
                && ResourceIndicators.canonical(a).equals(ResourceIndicators.canonical(w));
    }

    private static URI uri(String value) {
        try {
            return new URI(value);
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    /** {@code {"sub": client}}, wrapping the subject token's actor (RFC 8693 section 4.1). */
    private static Map<String, Object> actor(String clientId, JWTClaimsSet claims) {
        Map<String, Object> act = new LinkedHashMap<>();
        act.put("sub", clientId);
        Object previous = claims.getClaim("act");
        if (previous instanceof Map<?, ?> map) {
            if (depth(map) >= MAX_ACTORS) {
                throw invalidGrant("The subject_token's actor chain is too long");
            }
            act.put("act", map);
        } else if (previous != null) {
            throw invalidGrant("The subject_token's act claim is malformed");
        }
        return act;
    }

    private static int depth(Map<?, ?> act) {
        int depth = 0;
        Object current = act;
        while (current instanceof Map<?, ?> map) {
            depth++;
            current = map.get("act");
        }
        return depth;
    }

    private static String text(JWTClaimsSet claims, String name) {
        try {
            String value = claims.getStringClaim(name);
            return value == null ? "" : value;
        } catch (ParseException e) {
            return "";
        }
    }

    private static List<String> stringList(JWTClaimsSet claims, String name) {
        try {
            List<String> values = claims.getStringListClaim(name);
            return values == null ? List.of() : values;
        } catch (ParseException e) {
            return List.of();
        }
    }

    private static Set<String> words(String text) {
        Set<String> out = new LinkedHashSet<>();
        for (String word : text.trim().split("\\s+")) {
            if (!word.isEmpty()) {
                out.add(word);
            }
        }
        return out;
    }

    private static OAuthException refuse(ErrorObject error, String clientId, String description) {
        LOG.info("Token exchange refused for client {}: {}", clientId == null ? "(none)" : clientId.replaceAll("[^\\x21-\\x7e]", "?"),
                description);
        return new OAuthException(error, description);
    }

    private static OAuthException invalidGrant(String description) {
        return new OAuthException(OAuth2Error.INVALID_GRANT, description);
    }
}
