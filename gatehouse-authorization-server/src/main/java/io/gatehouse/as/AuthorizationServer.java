package io.gatehouse.as;

import io.gatehouse.as.web.AsJson;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.gatehouse.as.authorize.AccountPage;
import io.gatehouse.as.authorize.AuthorizationEndpoint;
import io.gatehouse.as.clients.ClientAuthenticator;
import io.gatehouse.as.clients.ClientMetadataDocuments;
import io.gatehouse.as.clients.ClientOrigin;
import io.gatehouse.as.clients.ClientResolver;
import io.gatehouse.as.clients.SsrfGuard;
import io.gatehouse.as.clients.ClientStore;
import io.gatehouse.as.clients.RegisteredClient;
import io.gatehouse.as.clients.RegistrationEndpoint;
import io.gatehouse.as.keys.SigningKeys;
import io.gatehouse.as.store.AsStores;
import io.gatehouse.as.token.AccessTokens;
import io.gatehouse.as.token.IntrospectionEndpoint;
import io.gatehouse.as.token.ResourceIndicators;
import io.gatehouse.as.token.RevocationEndpoint;
import io.gatehouse.as.token.TokenEndpoint;
import io.gatehouse.as.token.TokenExchange;
import io.gatehouse.as.token.TokenInspector;
import io.gatehouse.as.token.TokenState;
import io.gatehouse.as.users.UserDirectory;
import io.gatehouse.as.web.AsRequest;
import io.gatehouse.as.web.AsResponse;
import io.gatehouse.as.web.OAuthRoutes;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import net.minidev.json.JSONObject;

/**
 * Gatehouse's embedded OAuth 2.1 authorization server: one object that answers the requests for its endpoints.
 * Its metadata (RFC 8414, also served at the OpenID discovery location) is computed from what is wired, and the
 * routes are the paths of that same document, so the two cannot drift apart (STYLE rule 9).
 */
public final class AuthorizationServer implements OAuthRoutes {

    public static final String AUTHORIZE = "/oauth/authorize";
    public static final String LOGIN = "/oauth/login";
    public static final String CONSENT = "/oauth/consent";
    /** The signed-in user's page of the applications they allowed (GET), and the revoke form's target (POST). */
    public static final String ACCOUNT = "/oauth/account";
    public static final String REVOKE_CONSENT = "/oauth/account/revoke";
    public static final String TOKEN = "/oauth/token";
    public static final String REGISTER = "/oauth/register";
    public static final String REVOKE = "/oauth/revoke";
    public static final String INTROSPECT = "/oauth/introspect";
    public static final String JWKS = "/oauth/jwks";
    /** A self-registered client no user has consented to within this time is removed (anonymous registration is bounded). */
    static final java.time.Duration UNUSED_CLIENT_LIFETIME = java.time.Duration.ofHours(24);
    private static final Set<String> CROSS_ORIGIN = Set.of(TOKEN, REGISTER, REVOKE, INTROSPECT, JWKS);
    private static final Set<String> BROWSER_PAGES = Set.of(AUTHORIZE, LOGIN, CONSENT, ACCOUNT, REVOKE_CONSENT);

    private final AsSettings settings;
    private final AsStores stores;
    private final Clock clock;
    private final SigningKeys keys;
    private final TokenState state;
    private final TokenInspector inspector;
    private final AuthorizationEndpoint authorization;
    private final AccountPage account;
    private final TokenEndpoint token;
    private final TokenExchange exchange;
    private final boolean tokenExchangeConfigured;
    private final RegistrationEndpoint registration;
    private final RevocationEndpoint revocation;
    private final IntrospectionEndpoint introspection;
    private final String metadataPath;
    private final String oidcPath;
    private final String metadata;
    private final ClientMetadataDocuments documents;

    public AuthorizationServer(AsSettings settings, AsStores stores, List<RegisteredClient> preRegistered, UserDirectory users,
                               Clock clock) {
        this(settings, stores, preRegistered, users, clock, AsMetrics.unread());
    }

    /** @param metrics where logins, issued tokens, refresh-token reuse and registrations are counted */
    public AuthorizationServer(AsSettings settings, AsStores stores, List<RegisteredClient> preRegistered, UserDirectory users,
                               Clock clock, AsMetrics metrics) {
        this.settings = settings;
        this.stores = stores;
        this.clock = clock;
        ClientStore clients = stores.clients();
        for (RegisteredClient client : preRegistered) {
            if (client.origin() != ClientOrigin.CONFIGURED) {
                throw new IllegalArgumentException("a pre-registered client must have the origin CONFIGURED");
            }
            clients.save(client);
        }
        ClientResolver known = configuredFirst(preRegistered, clients);
        this.tokenExchangeConfigured = preRegistered.stream().anyMatch(c -> c.grantTypes().contains(TokenExchange.GRANT_TYPE)
                && !c.isPublic() && !c.tokenExchangeAudiences().isEmpty());
        this.keys = new SigningKeys(stores.keys(), clock, settings.accessTokenTtl());
        this.state = new TokenState(stores.grants(), clock,
                settings.accessTokenTtl().compareTo(settings.refreshTokenTtl()) > 0 ? settings.accessTokenTtl() : settings.refreshTokenTtl(),
                metrics);
        this.inspector = new TokenInspector(settings.issuer(), publicKeySource(), state, clock);
        this.documents = new ClientMetadataDocuments(new SsrfGuard(settings.metadataDocumentsOnLoopback()), clock);
        ClientResolver resolver = settings.clientMetadataDocuments() ? ClientResolver.firstThen(known, documents) : known;
        ClientAuthenticator authenticator = new ClientAuthenticator(resolver);
        ResourceIndicators resources = new ResourceIndicators(settings.resources());
        this.authorization = new AuthorizationEndpoint(settings, resolver, users, stores.consents(), stores.browsers(),
                stores.loginAttempts(), state, resources, clock, LOGIN, CONSENT, ACCOUNT, metrics);
        this.account = new AccountPage(settings, known, stores.consents(), state, stores.browsers(), clock, ACCOUNT, REVOKE_CONSENT);
        AccessTokens accessTokens = new AccessTokens(settings.issuer(), keys, settings.accessTokenTtl(), clock);
        this.exchange = new TokenExchange(settings, known, inspector, state, accessTokens, users, metrics);
        this.token = new TokenEndpoint(settings, authenticator, state, accessTokens, resources, users, exchange, metrics);
        this.registration = new RegistrationEndpoint(settings, clients, clock, 30, metrics);
        this.revocation = new RevocationEndpoint(authenticator, state, inspector);
        this.introspection = new IntrospectionEndpoint(authenticator, inspector);
        String issuerPath = Optional.ofNullable(settings.issuer().getRawPath()).orElse("").replaceAll("/+$", "");
        this.metadataPath = "/.well-known/oauth-authorization-server" + issuerPath;
        this.oidcPath = issuerPath + "/.well-known/openid-configuration";
        this.metadata = AsJson.write(metadataDocument());
    }

    /** Client ID metadata documents and refusals remembered now (bounded, see {@link ClientMetadataDocuments}). */
    public long rememberedClientMetadataDocuments() {
        return documents.remembered();
    }

    /**
     * Clients from the configuration as it is now, then the store. A stored client that was configured once but no
     * longer is (removed from the config file) is not found: the operator's removal takes effect at the restart.
     */
    private static ClientResolver configuredFirst(List<RegisteredClient> configured, ClientStore store) {
        Map<String, RegisteredClient> byId = configured.stream()
                .collect(Collectors.toUnmodifiableMap(RegisteredClient::clientId, c -> c, (a, b) -> b));
        return id -> Optional.ofNullable(byId.get(id))
                .or(() -> store.find(id).filter(c -> c.origin() != ClientOrigin.CONFIGURED));
    }

    @Override
    public Optional<AsResponse> handle(AsRequest request) {
        String path = request.path();
        String method = request.method();
        AsResponse response;
        if (path.equals(metadataPath) || path.equals(oidcPath)) {
            response = method.equals("GET") ? AsResponse.json(200, metadata).withHeader("Cache-Control", "public, max-age=300") : notAllowed("GET");
        } else if (path.equals(JWKS)) {
            response = method.equals("GET") ? AsResponse.json(200, keys.publicKeys().toString(true)) : notAllowed("GET");
        } else if (path.equals(AUTHORIZE)) {
            response = method.equals("GET") || method.equals("POST") ? authorization.authorize(request) : notAllowed("GET, POST");
        } else if (path.equals(LOGIN)) {
            response = method.equals("POST") ? authorization.login(request) : notAllowed("POST");
        } else if (path.equals(CONSENT)) {
            response = method.equals("POST") ? authorization.consent(request) : notAllowed("POST");
        } else if (path.equals(ACCOUNT)) {
            response = method.equals("GET") ? account.show(request) : notAllowed("GET");
        } else if (path.equals(REVOKE_CONSENT)) {
            response = method.equals("POST") ? account.revoke(request) : notAllowed("POST");
        } else if (path.equals(TOKEN)) {
            response = method.equals("POST") ? token.handle(request, settings.endpoint(TOKEN)) : notAllowed("POST");
        } else if (path.equals(REGISTER) && settings.dynamicRegistration()) {
            response = method.equals("POST") ? registration.register(request) : notAllowed("POST");
        } else if (path.equals(REVOKE)) {
            response = method.equals("POST") ? revocation.handle(request, settings.endpoint(REVOKE)) : notAllowed("POST");
        } else if (path.equals(INTROSPECT)) {
            response = method.equals("POST") ? introspection.handle(request, settings.endpoint(INTROSPECT)) : notAllowed("POST");
        } else {
            return Optional.empty();
        }
        return Optional.of(response);
    }

    /** The browser pages (authorize, login, consent, account) answer an error page; the other endpoints OAuth JSON. */
    @Override
    public AsResponse malformedRequest(String path) {
        return BROWSER_PAGES.contains(path) ? AuthorizationEndpoint.malformedRequest() : OAuthRoutes.super.malformedRequest(path);
    }

    /**
     * Whether a path is meant for programs on other origins (metadata, token, registration, ...): these answer
     * any origin with CORS and use no cookies. The login and consent pages are same-origin only.
     */
    @Override
    public boolean isCrossOrigin(String path) {
        return CROSS_ORIGIN.contains(path) || path.equals(metadataPath) || path.equals(oidcPath);
    }

    @Override
    public boolean owns(String path) {
        return path.startsWith("/oauth/") || path.equals(metadataPath) || path.equals(oidcPath);
    }

    /**
     * The current public keys, for an in-process resource server. A token naming a key id this node has not loaded
     * yet (another node rotated a moment ago) makes it read the stored keys again first (rate-limited, see
     * {@link SigningKeys#publicKeys(String)}).
     */
    public JWKSource<SecurityContext> publicKeySource() {
        return (selector, context) -> {
            Set<String> kids = selector.getMatcher().getKeyIDs();
            String kid = kids == null || kids.size() != 1 ? null : kids.iterator().next();
            return selector.select(kid == null ? keys.publicKeys() : keys.publicKeys(kid));
        };
    }

    public JWKSet publicKeys() {
        return keys.publicKeys();
    }

    /**
     * RFC 8693 token exchange in process: Gatehouse itself, acting as a client configured for the grant, swaps the
     * caller's access token for one for a downstream API. Same checks as the token endpoint's grant except client
     * authentication.
     */
    public TokenExchange tokenExchange() {
        return exchange;
    }

    /** For an in-process resource server: whether an access token with this id was revoked. */
    public boolean isRevoked(String jti) {
        return state.isRevoked(jti);
    }

    @Override
    public Optional<Boolean> storeReachable() {
        return Optional.of(stores.reachable().getAsBoolean());
    }

    @Override
    public Optional<Boolean> signingKeysLoaded() {
        return Optional.of(!keys.publicKeys().getKeys().isEmpty());
    }

    /**
     * Rotates the signing key now, under the store's lock (one node at a time); returns the new key's id. Other
     * nodes sign with it within {@link SigningKeys#RELOAD_INTERVAL}; tokens signed with the old one keep verifying
     * until they expire.
     */
    public String rotateKeys() {
        return keys.rotate();
    }

    /** What the login and consent pages hold (pending authorizations, sessions, throttle), all bounded. */
    public AuthorizationEndpoint.Held heldBrowserState() {
        return authorization.held();
    }

    public URI issuer() {
        return settings.issuer();
    }

    /** Drops expired codes, tokens, sessions and pending authorizations, and rotates an old signing key. */
    @Override
    public void maintain() {
        state.cleanUp();
        authorization.cleanUp();
        int unused = stores.clients().removeUnusedSelfRegistered(clock.instant().minus(UNUSED_CLIENT_LIFETIME));
        if (unused > 0) {
            org.slf4j.LoggerFactory.getLogger(AuthorizationServer.class).info("Removed {} self-registered clients no user "
                    + "consented to within {} hours", unused, UNUSED_CLIENT_LIFETIME.toHours());
        }
        if (keys.rotateIfOlderThan(settings.signingKeyLifetime())) {
            org.slf4j.LoggerFactory.getLogger(AuthorizationServer.class).info("Rotated the signing key; the old one stays published "
                    + "until its tokens expire");
        }
    }

    private JSONObject metadataDocument() {
        JSONObject m = new JSONObject();
        m.put("issuer", settings.issuer().toString());
        m.put("authorization_endpoint", settings.endpoint(AUTHORIZE).toString());
        m.put("token_endpoint", settings.endpoint(TOKEN).toString());
        m.put("jwks_uri", settings.endpoint(JWKS).toString());
        if (settings.dynamicRegistration()) {
            m.put("registration_endpoint", settings.endpoint(REGISTER).toString());
        }
        m.put("revocation_endpoint", settings.endpoint(REVOKE).toString());
        m.put("introspection_endpoint", settings.endpoint(INTROSPECT).toString());
        m.put("scopes_supported", settings.scopesSupported());
        m.put("response_types_supported", List.of("code"));
        m.put("response_modes_supported", List.of("query"));
        // token exchange only when a configured client may use it: the document says what a client can actually get
        m.put("grant_types_supported", tokenExchangeConfigured
                ? List.of("authorization_code", "refresh_token", "client_credentials", TokenExchange.GRANT_TYPE)
                : List.of("authorization_code", "refresh_token", "client_credentials"));
        List<String> authMethods = List.of("none", "client_secret_basic", "client_secret_post");
        m.put("token_endpoint_auth_methods_supported", authMethods);
        m.put("revocation_endpoint_auth_methods_supported", authMethods);
        m.put("introspection_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        m.put("code_challenge_methods_supported", List.of("S256"));
        m.put("authorization_response_iss_parameter_supported", true);
        if (settings.clientMetadataDocuments()) {
            m.put("client_id_metadata_document_supported", true);
        }
        return m;
    }

    private static AsResponse notAllowed(String allow) {
        return AsResponse.json(405, "{\"error\":\"invalid_request\",\"error_description\":\"Method not allowed\"}").withHeader("Allow", allow);
    }
}
