package io.gatehouse.as.authorize;

import io.gatehouse.as.AsSettings;
import io.gatehouse.as.clients.ClientNames;
import io.gatehouse.as.clients.ClientResolver;
import io.gatehouse.as.clients.RegisteredClient;
import io.gatehouse.as.clients.Secrets;
import io.gatehouse.as.token.TokenState;
import io.gatehouse.as.web.AsRequest;
import io.gatehouse.as.web.AsResponse;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signed-in user's page of the applications they allowed ({@code GET}), each with a form to revoke it
 * ({@code POST} to the revoke path, answered 303 back to the page). Revoking forgets the consent, so the client's
 * next authorization asks again, and revokes every token family the user holds through that client, so its refresh
 * tokens are refused and its access tokens reported revoked. Only the session's own user's consents are read or
 * revoked (the username comes from the session, never from the form); the form carries the session's CSRF token
 * (the consent form's), and a POST whose {@code Origin} is another origin is refused as well. A browser that is not
 * signed in sees a page saying so and nothing else. Client names come from the store and the configuration only
 * (listing never fetches a client ID metadata document); a name the client chose is marked unverified.
 */
public final class AccountPage {

    private static final Logger LOG = LoggerFactory.getLogger(AccountPage.class);

    private final AsSettings settings;
    private final ClientResolver clients;
    private final ConsentStore consents;
    private final TokenState tokens;
    private final BrowserSessions sessions;
    private final String accountPath;
    private final String revokePath;
    private Optional<io.gatehouse.as.federation.FederatedLogin> federation = Optional.empty();
    private String signOutPath = "";

    /**
     * @param clients resolves client ids from the configuration and the store only (no network)
     */
    public AccountPage(AsSettings settings, ClientResolver clients, ConsentStore consents, TokenState tokens,
                       BrowserStateStore browsers, Clock clock, String accountPath, String revokePath) {
        this.settings = settings;
        this.clients = clients;
        this.consents = consents;
        this.tokens = tokens;
        this.sessions = new BrowserSessions(browsers, clock);
        this.accountPath = accountPath;
        this.revokePath = revokePath;
    }

    /**
     * Offers signing out at {@code signOutPath}; with {@code federation}, signing out also ends the federated login and
     * the token families bound to it, and sends the browser to the provider's end-session endpoint where it has one.
     */
    public AccountPage withSignOut(String signOutPath, Optional<io.gatehouse.as.federation.FederatedLogin> federation) {
        this.signOutPath = signOutPath;
        this.federation = federation;
        return this;
    }

    /**
     * POST of the sign-out form: ends the browser session, and a federated login with the token families bound to it
     * (their refresh tokens are refused from now on), then sends the browser to the provider's end-session endpoint
     * ({@code id_token_hint}, {@code post_logout_redirect_uri} = the account page) or back to the account page.
     */
    public AsResponse signOut(AsRequest request) {
        Optional<String> origin = request.header("origin");
        String ours = settings.issuer().getScheme() + "://" + settings.issuer().getRawAuthority();
        if (origin.isPresent() && !origin.get().equalsIgnoreCase(ours)) {
            LOG.warn("Sign-out refused: the form was posted from another origin");
            return refused("The form was not submitted from this server's page.");
        }
        Optional<BrowserSessions.Session> session = sessions.find(request.cookie(AuthorizationEndpoint.SESSION_COOKIE));
        if (session.isEmpty()) {
            return AsResponse.html(401, Pages.accountSignedOut());
        }
        if (!Secrets.matches(request.formValue("csrf").orElse(""), Secrets.hash(session.get().csrfToken()))) {
            LOG.warn("Sign-out refused: CSRF token mismatch");
            return refused("The form was not submitted from this server's page.");
        }
        URI back = settings.endpoint(accountPath + "?signed_out=1");
        Optional<URI> next = Optional.empty();
        if (federation.isPresent()) {
            io.gatehouse.as.federation.FederatedLogin.SignOut ended = federation.get().signOut(session.get().id(), back);
            ended.families().forEach(tokens::revokeFamily);
            next = ended.endSession();
        }
        sessions.end(session.get());
        return AsResponse.seeOther(next.orElse(back)).withCookie(AuthorizationEndpoint.SESSION_COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"
                + (settings.secureCookies() ? "; Secure" : ""));
    }

    /** GET of the account page. */
    public AsResponse show(AsRequest request) {
        Optional<BrowserSessions.Session> session = sessions.find(request.cookie(AuthorizationEndpoint.SESSION_COOKIE));
        if (session.isEmpty()) {
            return AsResponse.html(request.query().getOrDefault("signed_out", List.of()).contains("1") ? 200 : 401,
                    Pages.accountSignedOut());
        }
        List<Pages.Approved> approved = new ArrayList<>();
        for (ConsentStore.Consent consent : consents.consentsOf(session.get().username())) {
            Optional<RegisteredClient> client = clients.resolve(consent.clientId());
            Pages.ClientLabel label = client.map(c -> new Pages.ClientLabel(c.name(), ClientNames.verified(c), c.clientId()))
                    .orElse(new Pages.ClientLabel(consent.clientId(), false, consent.clientId()));
            List<String> hosts = client.map(c -> c.redirectUris().stream().map(URI::getHost).filter(h -> h != null).distinct().toList())
                    .orElse(List.of());
            approved.add(new Pages.Approved(label, hosts, List.copyOf(new TreeSet<>(consent.scopes())), consent.grantedAt()));
        }
        boolean justRevoked = request.query().getOrDefault("revoked", List.of()).contains("1");
        String name = federation.flatMap(f -> f.loginOfSession(session.get().id())).map(l -> l.username())
                .orElse(session.get().username());
        return AsResponse.html(200, Pages.account(revokePath, session.get().csrfToken(), name,
                settings.resourceName(), approved, settings.scopeDescriptions(), justRevoked, signOutPath));
    }

    /** POST of a revoke form: the session's user withdraws their consent to one client. */
    public AsResponse revoke(AsRequest request) {
        Optional<String> origin = request.header("origin");
        String ours = settings.issuer().getScheme() + "://" + settings.issuer().getRawAuthority();
        if (origin.isPresent() && !origin.get().equalsIgnoreCase(ours)) {
            LOG.warn("Consent revocation refused: the form was posted from another origin");
            return refused("The form was not submitted from this server's page.");
        }
        Optional<String> tooLong = ParameterLimits.exceeded(request.form(), ParameterLimits.REVOKE_CONSENT);
        if (tooLong.isPresent()) {
            return AsResponse.html(400, Pages.error("Invalid request", ParameterLimits.describe(tooLong.get(), ParameterLimits.REVOKE_CONSENT)));
        }
        Optional<BrowserSessions.Session> session = sessions.find(request.cookie(AuthorizationEndpoint.SESSION_COOKIE));
        if (session.isEmpty()) {
            return AsResponse.html(401, Pages.accountSignedOut());
        }
        if (!Secrets.matches(request.formValue("csrf").orElse(""), Secrets.hash(session.get().csrfToken()))) {
            LOG.warn("Consent revocation refused: CSRF token mismatch for user {}", session.get().username());
            return refused("The form was not submitted from this server's page.");
        }
        Optional<String> clientId = request.formValue("client_id");
        if (clientId.isEmpty()) {
            return AsResponse.html(400, Pages.error("Invalid request", "The form names no application."));
        }
        String username = session.get().username();
        boolean had = consents.revoke(username, clientId.get());
        int families = tokens.revokeFamiliesOf(username, clientId.get());
        if (had || families > 0) {
            LOG.info("User {} revoked client {} ({} token families revoked)", username, clientId.get(), families);
        }
        return AsResponse.seeOther(settings.endpoint(accountPath + "?revoked=1"));
    }

    private static AsResponse refused(String message) {
        return AsResponse.html(403, Pages.error("Request refused", message));
    }
}
