package io.gatehouse.as.authorize;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import io.gatehouse.as.AsMetrics;
import io.gatehouse.as.AsSettings;
import io.gatehouse.as.clients.ClientResolver;
import io.gatehouse.as.clients.RedirectUris;
import io.gatehouse.as.clients.RegisteredClient;
import io.gatehouse.as.clients.Secrets;
import io.gatehouse.as.clients.TooManyFetches;
import io.gatehouse.as.federation.FederatedLogin;
import io.gatehouse.as.token.AuthorizationCode;
import io.gatehouse.as.token.Grant;
import io.gatehouse.as.token.ResourceIndicators;
import io.gatehouse.as.token.TokenState;
import io.gatehouse.as.users.User;
import io.gatehouse.as.users.UserDirectory;
import io.gatehouse.as.web.AsRequest;
import io.gatehouse.as.web.AsResponse;
import io.gatehouse.as.web.CallerLimit;
import io.gatehouse.as.web.OAuthException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authorization endpoint with its login and consent pages (RFC 6749 section 4.1, OAuth 2.1, RFC 9207).
 * Until the client and the redirect URI are validated, errors are shown on a page and never redirected (no
 * open redirect). After that they go to the client with {@code state} and {@code iss}, but only to a redirect
 * URI the server trusts (RFC 9700 section 4.11.2): an operator-configured client's, or a self-registered
 * client's that the signed-in user has approved before; anyone else's errors are shown on a page, since anyone
 * can register any https redirect URI. PKCE S256 is required. Every parameter is bounded
 * ({@link ParameterLimits}). The consent page names the client, shows where the browser will be sent, cannot
 * be framed, is protected by a per-session CSRF token, and is remembered per user and client (the user sees and
 * revokes what they allowed on the {@link AccountPage}); it names the MCP server, describes each scope in words
 * and marks a client's self-chosen name as unverified. A code is issued
 * without it only for scopes the user already consented to for that client, never for "no scopes".
 */
public final class AuthorizationEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationEndpoint.class);
    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9\\-._~]{43,128}");
    private static final ErrorObject NOTHING_GRANTABLE = OAuth2Error.INVALID_SCOPE
            .setDescription("None of the requested scopes can be granted to this user and client");
    public static final String SESSION_COOKIE = "gatehouse_session";
    /**
     * Pending authorizations one caller (an address, an IPv6 /64) may make this node keep per {@code PENDING_TTL}:
     * the store holds at most 8,000 (in memory 32 MiB, about 1,800 of the largest) and drops the oldest, so without
     * it one caller could push everyone else's sign-ins in progress out of it. A browser needs one per sign-in.
     * Behind a reverse proxy every request has the proxy's address and this is shared by all.
     */
    static final int PARKED_PER_CALLER = 1_000;

    private final AsSettings settings;
    private final ClientResolver clients;
    private final UserDirectory users;
    private final ConsentStore consents;
    private final TokenState tokens;
    private final ResourceIndicators resources;
    private final BrowserSessions sessions;
    private final LoginThrottle throttle;
    private final Clock clock;
    private final String loginPath;
    private final String consentPath;
    private final String accountPath;
    private final AsMetrics metrics;
    private final CallerLimit parking;
    private final Optional<FederatedLogin> federation;
    private final boolean localUsers;
    private final String upstreamLoginPath;

    /** A signed-in user and the name the pages show (a federated user's is the username claim; their id is the subject). */
    private record Account(User user, String displayName) {
    }

    public AuthorizationEndpoint(AsSettings settings, ClientResolver clients, UserDirectory users, ConsentStore consents,
                                 BrowserStateStore browsers, LoginAttempts loginAttempts, TokenState tokens,
                                 ResourceIndicators resources, Clock clock, String loginPath, String consentPath, String accountPath,
                                 AsMetrics metrics) {
        this(settings, clients, users, consents, browsers, loginAttempts, tokens, resources, clock, loginPath, consentPath, accountPath,
                metrics, Optional.empty(), true, loginPath);
    }

    /**
     * @param federation        federated login at an upstream provider, when configured: a browser that is not signed in
     *                          is sent there
     * @param localUsers        whether {@code users} may sign in with the login form too (with federation: only when the
     *                          operator allowed it; the form then links to the provider)
     * @param upstreamLoginPath the link from the login form to the provider (GET, {@code request=<pending id>})
     */
    public AuthorizationEndpoint(AsSettings settings, ClientResolver clients, UserDirectory users, ConsentStore consents,
                                 BrowserStateStore browsers, LoginAttempts loginAttempts, TokenState tokens,
                                 ResourceIndicators resources, Clock clock, String loginPath, String consentPath, String accountPath,
                                 AsMetrics metrics, Optional<FederatedLogin> federation, boolean localUsers, String upstreamLoginPath) {
        this.federation = federation;
        this.localUsers = localUsers;
        this.upstreamLoginPath = upstreamLoginPath;
        this.metrics = metrics;
        this.settings = settings;
        this.clients = clients;
        this.users = users;
        this.consents = consents;
        this.tokens = tokens;
        this.resources = resources;
        this.clock = clock;
        this.sessions = new BrowserSessions(browsers, clock);
        this.throttle = new LoginThrottle(5, Duration.ofMinutes(5), clock, loginAttempts);
        this.parking = new CallerLimit(PARKED_PER_CALLER, Integer.MAX_VALUE, BrowserSessions.PENDING_TTL, 10_000, clock);
        this.loginPath = loginPath;
        this.consentPath = consentPath;
        this.accountPath = accountPath;
    }

    /** GET (or POST) of the authorization endpoint. */
    public AsResponse authorize(AsRequest request) {
        Map<String, List<String>> params = request.oauthParameters();
        for (String name : ParameterLimits.AUTHORIZE.keySet()) {
            if (params.getOrDefault(name, List.of()).size() > 1 && !name.equals("resource")) {
                return errorPage("Invalid request", "The parameter " + name + " appears more than once.");
            }
        }
        Optional<String> tooLong = ParameterLimits.exceeded(params, ParameterLimits.AUTHORIZE);
        if (tooLong.isPresent()) {
            return errorPage("Invalid request", ParameterLimits.describe(tooLong.get(), ParameterLimits.AUTHORIZE));
        }
        if (params.getOrDefault("resource", List.of()).size() > ParameterLimits.MAX_RESOURCES) {
            return errorPage("Invalid request", "The request names too many resources.");
        }
        Optional<String> clientId = first(params, "client_id");
        if (clientId.isEmpty()) {
            return errorPage("Invalid request", "The request names no client (client_id is missing).");
        }
        Optional<RegisteredClient> client;
        try {
            client = clients.resolve(clientId.get(), request.remoteAddress());
        } catch (TooManyFetches e) {
            return AsResponse.html(429, Pages.error("Too many requests",
                    "This server looked up too many applications for you. Wait a minute and try again."))
                    .withHeader("Retry-After", String.valueOf(e.retryAfter().toSeconds()));
        }
        if (client.isEmpty()) {
            return errorPage("Unknown application", "No application is registered with this client id.");
        }
        Optional<URI> redirect = redirectUri(client.get(), first(params, "redirect_uri"));
        if (redirect.isEmpty()) {
            return errorPage("Invalid redirect", "The redirect URI is missing or not registered for this application.");
        }
        Optional<String> state = first(params, "state");
        Optional<BrowserSessions.Session> session = sessions.find(request.cookie(SESSION_COOKIE));
        Optional<Account> account = accountOf(session);
        Optional<User> user = account.map(Account::user);
        PendingAuthorization.Client requester = PendingAuthorization.Client.of(client.get());
        PendingAuthorization pending;
        try {
            pending = validate(client.get(), redirect.get(), state, params);
        } catch (OAuthException e) {
            return refuse(requester, redirect.get(), state, user, e.error());
        }
        if (account.isPresent()) {
            return afterLogin(pending, false, account.get(), session.get());
        }
        Optional<Duration> wait = parking.admit(request.remoteAddress());
        if (wait.isPresent()) {
            LOG.warn("Refused to keep one more pending authorization for {}: too many", request.remoteAddress());
            return AsResponse.html(429, Pages.error("Too many requests",
                    "Too many sign-ins were started from your address. Wait a few minutes and try again."))
                    .withHeader("Retry-After", String.valueOf(wait.get().toSeconds()));
        }
        sessions.park(pending);
        if (federation.isPresent() && !localUsers) {
            return toProvider(pending.id(), request);
        }
        return loginPage(pending, "", "", 200);
    }

    /** The login form's link to the provider (GET, with the pending authorization's id), when local users are allowed too. */
    public AsResponse loginUpstream(AsRequest request) {
        Optional<PendingAuthorization> pending = federation.isEmpty() ? Optional.empty()
                : sessions.pending(ParameterLimits.exceeded(request.query(), ParameterLimits.LOGIN).isPresent() ? Optional.empty()
                : request.query().getOrDefault("request", List.of()).stream().findFirst());
        if (pending.isEmpty()) {
            return errorPage("Sign-in expired", "This sign-in took too long or was already used. Start again from the application.");
        }
        // each visit keeps one more started sign-in: the same per-address bound as parking a pending authorization
        Optional<Duration> wait = parking.admit(request.remoteAddress());
        if (wait.isPresent()) {
            LOG.warn("Refused to start one more sign-in at the identity provider for {}: too many", request.remoteAddress());
            return AsResponse.html(429, Pages.error("Too many requests",
                    "Too many sign-ins were started from your address. Wait a few minutes and try again."))
                    .withHeader("Retry-After", String.valueOf(wait.get().toSeconds()));
        }
        return toProvider(pending.get().id(), request);
    }

    private AsResponse toProvider(String pendingId, AsRequest request) {
        try {
            return federation.orElseThrow().start(pendingId, request.cookie(FederatedLogin.BINDING_COOKIE));
        } catch (FederatedLogin.UpstreamUnavailableException e) {
            return AsResponse.html(503, Pages.error("Sign-in unavailable", "The identity provider cannot be reached right now. "
                    + "Try again in a minute.")).withHeader("Retry-After", "10");
        }
    }

    /**
     * The provider's redirect back after a sign-in there: on success the pending authorization continues (consent, or
     * a code when the user already consented) in a new browser session; a user the provider refused or whose roles grant
     * nothing gets {@code access_denied}; anything else a page. Where the browser is sent is only ever the pending
     * authorization's registered redirect URI, never something from this request.
     */
    public AsResponse upstreamCallback(AsRequest request) {
        if (federation.isEmpty()) {
            return errorPage("Not found", "This server does not sign in at another identity provider.");
        }
        FederatedLogin.Outcome outcome = federation.get().complete(request);
        return switch (outcome) {
            case FederatedLogin.Outcome.Failed failed -> AsResponse.html(failed.status(), Pages.error(failed.title(), failed.message()));
            case FederatedLogin.Outcome.Denied denied -> {
                Optional<PendingAuthorization> pending = sessions.takeByHash(denied.pendingHash());
                if (pending.isEmpty()) {
                    yield errorPage("Sign-in expired", "This sign-in took too long or was already used. Start again from the application.");
                }
                metrics.loginFailed();
                yield refuseWithReason(pending.get(), denied.reason());
            }
            case FederatedLogin.Outcome.SignedIn signedIn -> {
                if (localUsers && users.find(signedIn.login().subject()).isPresent()) {
                    LOG.warn("Federated login refused: the provider's subject is also the name of a configured user");
                    yield errorPage("Sign-in refused", "Your account at the identity provider has the name of a user of this server; "
                            + "ask your administrator.");
                }
                Optional<PendingAuthorization> pending = sessions.takeByHash(signedIn.pendingHash());
                if (pending.isEmpty()) {
                    yield errorPage("Sign-in expired", "This sign-in took too long or was already used. Start again from the application.");
                }
                BrowserSessions.Session session = sessions.start(signedIn.login().subject());
                federation.get().remember(session.id(), signedIn.login());
                metrics.loginSucceeded();
                Account account = new Account(federation.get().userOf(signedIn.login()), signedIn.login().username());
                yield afterLogin(pending.get(), false, account, session).withCookie(sessionCookie(session))
                        .withCookie(FederatedLogin.BINDING_COOKIE + "=; Path=" + FederatedLogin.CALLBACK + "; Max-Age=0; HttpOnly; SameSite=Lax"
                                + (settings.secureCookies() ? "; Secure" : ""));
            }
        };
    }

    /**
     * {@code access_denied} with why (RFC 6749 section 4.1.2.1): redirected to a trusted client, else shown on a page.
     * Nobody is signed in, so only an operator-configured client is trusted here.
     */
    private AsResponse refuseWithReason(PendingAuthorization pending, String reason) {
        if (!pending.client().selfRegistered()) {
            return AsResponse.redirect(errorRedirect(pending.redirectUri(), OAuth2Error.ACCESS_DENIED.setDescription(
                    reason.replaceAll("[^\\x20-\\x21\\x23-\\x5b\\x5d-\\x7e]", "?")), pending.state()));
        }
        return AsResponse.html(403, Pages.error("Access denied", reason));
    }

    /** Who a browser session is: its federated login's user, else a configured user of that name (when allowed). */
    private Optional<Account> accountOf(Optional<BrowserSessions.Session> session) {
        if (session.isEmpty()) {
            return Optional.empty();
        }
        if (federation.isPresent()) {
            Optional<io.gatehouse.as.federation.UpstreamLoginStore.Login> login = federation.get().loginOfSession(session.get().id());
            if (login.isPresent()) {
                return Optional.of(new Account(federation.get().userOf(login.get()), login.get().username()));
            }
            if (!localUsers) {
                return Optional.empty();
            }
        }
        return users.find(session.get().username()).map(u -> new Account(u, u.username()));
    }

    /**
     * The page for a request to the authorization, login or consent endpoint that could not be decoded (not
     * percent-encoded UTF-8): a fixed message, nothing of what was sent.
     */
    public static AsResponse malformedRequest() {
        return errorPage("Invalid request", "The request is not correctly encoded. Start again from the application.");
    }

    /** POST of the login form. */
    public AsResponse login(AsRequest request) {
        Optional<String> tooLong = ParameterLimits.exceeded(request.form(), ParameterLimits.LOGIN);
        Optional<PendingAuthorization> pending = tooLong.filter("request"::equals).isPresent() ? Optional.empty()
                : sessions.pending(request.formValue("request"));
        if (pending.isEmpty()) {
            return errorPage("Sign-in expired", "This sign-in took too long or was already used. Start again from the application.");
        }
        if (tooLong.isPresent()) {
            return loginPage(pending.get(), ParameterLimits.describe(tooLong.get(), ParameterLimits.LOGIN), "", 400);
        }
        String username = request.formValue("username").orElse("").strip();
        if (!throttle.tryAcquire(username, request.remoteAddress())) {
            metrics.loginThrottled();
            LOG.warn("Login throttled for user {} from {}", username, request.remoteAddress());
            return loginPage(pending.get(), "Too many failed attempts. Wait a few minutes and try again.", username, 429);
        }
        char[] password = request.formValue("password").orElse("").toCharArray();
        Optional<User> user = users.authenticate(username, password);
        Arrays.fill(password, '\0');
        if (user.isEmpty()) {
            metrics.loginFailed();
            LOG.info("Failed login for user {} from {}", username, request.remoteAddress());
            return loginPage(pending.get(), "Wrong username or password.", username, 401);
        }
        throttle.succeeded(username, request.remoteAddress());
        BrowserSessions.Session session = sessions.start(user.get().username());
        metrics.loginSucceeded();
        LOG.info("User {} logged in", user.get().username());
        return afterLogin(pending.get(), true, new Account(user.get(), user.get().username()), session).withCookie(sessionCookie(session));
    }

    /** POST of the consent form. */
    public AsResponse consent(AsRequest request) {
        Optional<String> tooLong = ParameterLimits.exceeded(request.form(), ParameterLimits.CONSENT);
        if (tooLong.isPresent()) {
            return errorPage("Invalid request", ParameterLimits.describe(tooLong.get(), ParameterLimits.CONSENT));
        }
        Optional<PendingAuthorization> pending = sessions.pending(request.formValue("request"));
        Optional<BrowserSessions.Session> session = sessions.find(request.cookie(SESSION_COOKIE));
        if (pending.isEmpty() || session.isEmpty()) {
            return errorPage("Consent expired", "This request took too long or your sign-in ended. Start again from the application.");
        }
        if (!Secrets.matches(request.formValue("csrf").orElse(""), Secrets.hash(session.get().csrfToken()))) {
            LOG.warn("Consent refused: CSRF token mismatch for user {}", session.get().username());
            return errorPage("Request refused", "The consent form was not submitted from this server's page.");
        }
        PendingAuthorization authorization = pending.get();
        if (!sessions.done(authorization)) { // another submission of this form (on this node or another) took it first
            return errorPage("Consent expired", "This request was already answered. Start again from the application.");
        }
        Optional<Account> known = accountOf(session);
        if (known.isEmpty()) {
            return errorPage("Consent expired", "Your sign-in ended. Start again from the application.");
        }
        User user = known.get().user();
        if (!"approve".equals(request.formValue("decision").orElse(""))) {
            LOG.info("User {} denied client {}", user.username(), authorization.client().clientId());
            return AsResponse.redirect(errorRedirect(authorization.redirectUri(),
                    OAuth2Error.ACCESS_DENIED.setDescription("The user denied the request"), authorization.state()));
        }
        Set<String> granted = grantable(authorization, user);
        if (granted.isEmpty()) {
            return refuse(authorization.client(), authorization.redirectUri(), authorization.state(), Optional.of(user), NOTHING_GRANTABLE);
        }
        consents.grant(user.username(), authorization.client().clientId(), granted, clock.instant());
        return issueCode(authorization, known.get(), granted, session.get());
    }

    private PendingAuthorization validate(RegisteredClient client, URI redirect, Optional<String> state, Map<String, List<String>> params) {
        if (!"code".equals(first(params, "response_type").orElse(""))) {
            throw new OAuthException(OAuth2Error.UNSUPPORTED_RESPONSE_TYPE, "Only response_type=code is supported");
        }
        if (!client.grantTypes().contains("authorization_code")) {
            throw new OAuthException(OAuth2Error.UNAUTHORIZED_CLIENT, "This client may not use the authorization code grant");
        }
        String challenge = first(params, "code_challenge")
                .orElseThrow(() -> new OAuthException(OAuth2Error.INVALID_REQUEST, "PKCE is required: send code_challenge with S256"));
        if (!"S256".equals(first(params, "code_challenge_method").orElse(""))) {
            throw new OAuthException(OAuth2Error.INVALID_REQUEST, "code_challenge_method must be S256");
        }
        if (!CHALLENGE.matcher(challenge).matches()) {
            throw new OAuthException(OAuth2Error.INVALID_REQUEST, "code_challenge is malformed");
        }
        List<URI> requestedResources = new ArrayList<>();
        for (String resource : params.getOrDefault("resource", List.of())) {
            try {
                requestedResources.add(new URI(resource));
            } catch (java.net.URISyntaxException e) {
                throw new OAuthException(OAuth2Error.INVALID_TARGET, "resource is not a URI");
            }
        }
        URI resource = resources.select(requestedResources, Optional.empty());
        Set<String> scopes = new LinkedHashSet<>();
        first(params, "scope").ifPresent(s -> Arrays.stream(s.split(" ")).filter(x -> !x.isBlank()).forEach(scopes::add));
        if (!scopes.isEmpty()) {
            scopes.retainAll(settings.scopesSupported());
            if (scopes.isEmpty()) {
                throw new OAuthException(OAuth2Error.INVALID_SCOPE, "None of the requested scopes is supported");
            }
        }
        return new PendingAuthorization(Secrets.random(24), PendingAuthorization.Client.of(client), redirect,
                first(params, "redirect_uri").isPresent(), state, challenge, scopes, resource, sessions.pendingExpiry());
    }

    /**
     * The user is known: issue a code at once if they already consented to every scope this request can get for
     * this client, else ask. Nothing grantable is {@code invalid_scope} (RFC 6749 section 4.1.2.1), never a code
     * and never "already consented". A request that was {@code parked} (the login form referred to it) ends here
     * only for the one submission that takes it out of the store, so a form sent twice, to two nodes, gives one code.
     */
    private AsResponse afterLogin(PendingAuthorization pending, boolean parked, Account account, BrowserSessions.Session session) {
        User user = account.user();
        Set<String> granted = grantable(pending, user);
        boolean covered = !granted.isEmpty() && consents.covers(user.username(), pending.client().clientId(), granted);
        if ((granted.isEmpty() || covered) && parked && !sessions.done(pending)) {
            return errorPage("Sign-in expired", "This sign-in took too long or was already used. Start again from the application.");
        }
        if (granted.isEmpty()) {
            return refuse(pending.client(), pending.redirectUri(), pending.state(), Optional.of(user), NOTHING_GRANTABLE);
        }
        if (covered) {
            return issueCode(pending, account, granted, session);
        }
        if (!parked) {
            sessions.park(pending);
        }
        return AsResponse.html(200, Pages.consent(consentPath, pending.id(), session.csrfToken(), label(pending.client()),
                pending.redirectUri().getHost(), RedirectUris.isLoopback(pending.redirectUri()), account.displayName(),
                settings.resourceName(), pending.resource().toString(), List.copyOf(new TreeSet<>(granted)),
                settings.scopeDescriptions(), accountPath));
    }

    /**
     * An error after the client and redirect URI were validated: redirected to the client (RFC 6749 section
     * 4.1.2.1) only if its redirect URI is trusted, else shown on a page (RFC 9700 section 4.11.2). Trusted: the
     * operator configured the client, or the signed-in user approved this self-registered client before.
     */
    private AsResponse refuse(PendingAuthorization.Client client, URI redirect, Optional<String> state, Optional<User> user,
                              ErrorObject error) {
        boolean trusted = !client.selfRegistered()
                || user.map(u -> !consents.granted(u.username(), client.clientId()).isEmpty()).orElse(false);
        if (trusted) {
            return AsResponse.redirect(errorRedirect(redirect, error, state));
        }
        LOG.info("Authorization error {} for client {} shown on a page, not redirected (the client is not trusted yet)",
                error.getCode(), client.clientId());
        return errorPage("Request refused", "The application's request cannot be completed ("
                + error.getCode() + (error.getDescription() == null ? "" : ": " + error.getDescription()) + ").");
    }

    /**
     * The scopes a user can be granted (inventory 5.3): what was asked for, limited to the scopes the server
     * supports, the client may request and the user's roles allow (a user allowed {@code mcp:tools} may be granted
     * {@code mcp:tools:words}: {@link User#mayHave}). No scope asked for means all of those, less the ones another of
     * them already implies ({@code mcp:tools:words} beside {@code mcp:tools}): the token is what it was before the
     * server named narrower scopes.
     */
    private Set<String> grantable(PendingAuthorization pending, User user) {
        boolean askedNothing = pending.requestedScopes().isEmpty();
        Set<String> asked = askedNothing ? new LinkedHashSet<>(settings.scopesSupported())
                : new LinkedHashSet<>(pending.requestedScopes());
        asked.retainAll(settings.scopesSupported());
        asked.removeIf(s -> !user.mayHave(s) || !pending.client().mayHave(s));
        if (askedNothing) {
            Set<String> granted = Set.copyOf(asked);
            asked.removeIf(s -> impliedByAnother(s, granted));
        }
        return asked;
    }

    /** Whether a scope of {@code granted} other than {@code scope} is an ancestor of it ({@code a:b} of {@code a:b:c}). */
    private static boolean impliedByAnother(String scope, Set<String> granted) {
        for (int colon = scope.lastIndexOf(':'); colon > 0; colon = scope.lastIndexOf(':', colon - 1)) {
            if (granted.contains(scope.substring(0, colon))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The code, for a grant whose subject is the user's stable id (a configured user's name, a federated user's
     * {@code sub} at the provider) and whose username is the name shown; a federated login's family is bound to it.
     */
    private AsResponse issueCode(PendingAuthorization pending, Account account, Set<String> scopes, BrowserSessions.Session session) {
        User user = account.user();
        Grant grant = new Grant(Secrets.random(16), pending.client().clientId(), user.username(), account.displayName(),
                user.roles(), scopes, pending.resource(), clock.instant());
        federation.ifPresent(f -> f.bindFamily(session.id(), grant.familyId()));
        String code = tokens.issueCode(new AuthorizationCode(grant, pending.redirectUri(), pending.redirectUriInRequest(),
                pending.codeChallenge(), clock.instant().plus(settings.codeTtl())));
        Map<String, String> answer = new java.util.LinkedHashMap<>();
        answer.put("code", code);
        pending.state().ifPresent(s -> answer.put("state", s));
        answer.put("iss", settings.issuer().toString());
        LOG.info("Authorized client {} for user {} (scopes {})", pending.client().clientId(), user.username(), scopes);
        return AsResponse.redirect(withQuery(pending.redirectUri(), answer));
    }

    private URI errorRedirect(URI redirect, ErrorObject error, Optional<String> state) {
        Map<String, String> answer = new java.util.LinkedHashMap<>();
        answer.put("error", error.getCode());
        if (error.getDescription() != null) {
            answer.put("error_description", error.getDescription());
        }
        state.ifPresent(s -> answer.put("state", s));
        answer.put("iss", settings.issuer().toString());
        return withQuery(redirect, answer);
    }

    private static URI withQuery(URI base, Map<String, String> params) {
        StringBuilder uri = new StringBuilder(base.toString());
        uri.append(base.getRawQuery() == null ? '?' : '&');
        boolean first = true;
        for (var entry : params.entrySet()) {
            if (!first) {
                uri.append('&');
            }
            first = false;
            uri.append(URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8));
        }
        return URI.create(uri.toString());
    }

    private Optional<URI> redirectUri(RegisteredClient client, Optional<String> given) {
        if (given.isEmpty()) {
            return client.redirectUris().size() == 1 ? Optional.of(client.redirectUris().get(0)) : Optional.empty();
        }
        if (RedirectUris.problem(given.get()).isPresent()) {
            return Optional.empty();
        }
        URI uri = URI.create(given.get());
        return client.allowsRedirect(uri) ? Optional.of(uri) : Optional.empty();
    }

    private AsResponse loginPage(PendingAuthorization pending, String error, String username, int status) {
        return AsResponse.html(status, Pages.login(loginPath, pending.id(), label(pending.client()), error, username,
                federation.map(f -> upstreamLoginPath + "?request=" + URLEncoder.encode(pending.id(), StandardCharsets.UTF_8)),
                federation.map(f -> f.settings().issuer().getHost()).orElse("")));
    }

    private static Pages.ClientLabel label(PendingAuthorization.Client client) {
        return new Pages.ClientLabel(client.name(), client.nameVerified(), client.clientId());
    }

    private static AsResponse errorPage(String title, String message) {
        return AsResponse.html(400, Pages.error(title, message));
    }

    private String sessionCookie(BrowserSessions.Session session) {
        return SESSION_COOKIE + "=" + session.id() + "; Path=/; HttpOnly; SameSite=Lax" + (settings.secureCookies() ? "; Secure" : "");
    }

    private static Optional<String> first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() || values.get(0).isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Forgets expired sessions, pending authorizations and throttle windows. */
    public void cleanUp() {
        sessions.cleanUp();
        federation.ifPresent(FederatedLogin::cleanUp);
        throttle.cleanUp();
    }

    /** What the endpoint holds for browsers (in memory or in the database), all of it bounded. */
    public Held held() {
        BrowserStateStore.Held held = sessions.held();
        return new Held(held.pending(), held.pendingBytes(), held.sessions(), throttle.trackedKeys());
    }

    /**
     * Counts of what is held for browsers.
     *
     * @param pendingAuthorizations validated requests awaiting login or consent
     * @param pendingBytes          what they weigh (two bytes per character of the stored payloads, estimated); in
     *                              memory at most 32 MiB
     * @param sessions              signed-in browsers
     * @param throttledKeys         usernames and addresses the login throttle tracks
     */
    public record Held(long pendingAuthorizations, long pendingBytes, long sessions, long throttledKeys) {
    }
}
