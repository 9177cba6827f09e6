package io.gatehouse.as.federation;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import io.gatehouse.as.clients.Secrets;
import io.gatehouse.as.token.Grant;
import io.gatehouse.as.users.User;
import io.gatehouse.as.web.AsRequest;
import io.gatehouse.as.web.AsResponse;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Federated login (issue 18): users sign in at an upstream OpenID provider instead of Gatehouse's login form, and
 * Gatehouse keeps being the authorization server its clients talk to.
 *
 * <p>{@link #start} sends the browser to the provider with code, PKCE S256, {@code state} and {@code nonce}: the state
 * is random and single use, stored only as a hash with the pending authorization it continues (bounded, 10 minutes);
 * nonce and verifier are derived from it and the browser's binding cookie ({@link LoginBinding}). {@link #complete}
 * answers the provider's redirect to {@link #CALLBACK}: it takes the state (once), checks the binding cookie in
 * constant time and the {@code iss} parameter when the provider sends one (RFC 9207), exchanges the code with Gatehouse's client authentication, validates the ID token (signature, iss,
 * aud, azp, exp, iat, nonce), reads userinfo (whose sub must match) and maps the claims: the user is the provider's
 * {@code sub} (Gatehouse's tokens carry it as their {@code sub}; the username claim is display only), their roles
 * come from the configured claim and grant scopes through {@link RoleScopes}. The callback never reads a redirect
 * target from its request: where the browser goes next is the pending authorization's registered redirect URI.
 *
 * <p>Token families issued after such a login are bound to it: a refresh checks the login at the provider (its refresh
 * token) when the last check is older than the configured interval, and a refusal there ends the family.
 */
public final class FederatedLogin {

    private static final Logger LOG = LoggerFactory.getLogger(FederatedLogin.class);
    /** Where the provider sends the browser back. */
    public static final String CALLBACK = "/oauth/login/callback";
    /** The public key of {@code private_key_jwt}, for registering at the provider. */
    public static final String CLIENT_JWKS = "/oauth/login/jwks.json";
    /** The HttpOnly cookie binding a sign-in at the provider to the browser that started it. */
    public static final String BINDING_COOKIE = "gatehouse_login";
    static final Duration STARTED_TTL = Duration.ofMinutes(10);
    private static final Pattern RANDOM = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final int MAX_SUBJECT = 200;

    /** What the callback came to. */
    public sealed interface Outcome {
        /** Nothing to continue: a page with this status, title and message. */
        record Failed(int status, String title, String message) implements Outcome {
        }

        /** The user may not be authorized: {@code access_denied} for the pending authorization, with why. */
        record Denied(String pendingHash, String reason) implements Outcome {
        }

        /** Signed in: continue the pending authorization with this user (not stored yet: {@link #remember}). */
        record SignedIn(String pendingHash, UpstreamLoginStore.Login login) implements Outcome {
        }
    }

    private final FederationSettings settings;
    private final UpstreamLoginStore store;
    private final UpstreamProvider provider;
    private final ClientKey clientKey;
    private final RoleScopes roleScopes;
    private final URI callback;
    private final Duration loginLifetime;
    private final boolean secureCookies;
    private final Clock clock;

    /**
     * @param issuer        Gatehouse's own issuer (the callback is under it)
     * @param loginLifetime how long a login is kept: the longest a token family bound to it can live
     */
    public FederatedLogin(FederationSettings settings, UpstreamLoginStore store, RoleScopes roleScopes, URI issuer,
                          Duration loginLifetime, boolean secureCookies, Clock clock) {
        this.settings = settings;
        this.store = store;
        this.roleScopes = roleScopes;
        this.clientKey = settings.clientAuthentication() instanceof ClientAuthentication.PrivateKeyJwt jwt
                ? ClientKey.loadOrGenerate(jwt.keyFile()) : ClientKey.none();
        this.provider = new UpstreamProvider(settings, clientKey, clock);
        this.callback = URI.create(issuer.toString().replaceAll("/+$", "") + CALLBACK);
        this.loginLifetime = loginLifetime;
        this.secureCookies = secureCookies;
        this.clock = clock;
    }

    public FederationSettings settings() {
        return settings;
    }

    /** Whether the provider's discovery document could be read (readiness). */
    public boolean providerReachable() {
        return provider.reachable();
    }

    /** The public JWK set of {@code private_key_jwt} (empty with a shared secret). */
    public JWKSet clientPublicKeys() {
        return clientKey.publicKeys();
    }

    /**
     * Sends the browser to the provider to sign in for the pending authorization {@code pendingId} (already stored),
     * binding the sign-in to the browser's binding cookie (kept when it has a well-formed one, else a new one).
     *
     * @throws UpstreamUnavailableException when the provider's discovery document cannot be read
     */
    public AsResponse start(String pendingId, Optional<String> bindingCookie) {
        String binding = bindingCookie.filter(b -> RANDOM.matcher(b).matches()).orElseGet(() -> Secrets.random(32));
        String state = Secrets.random(32);
        URI target;
        try {
            target = provider.authenticationRequest(callback, state, LoginBinding.nonce(binding, state),
                    LoginBinding.codeVerifier(binding, state));
        } catch (UpstreamProvider.Unavailable e) {
            throw new UpstreamUnavailableException();
        }
        store.putStarted(Secrets.hash(state), new UpstreamLoginStore.StartedLogin(Secrets.hash(binding), Secrets.hash(pendingId),
                clock.instant().plus(STARTED_TTL)));
        return AsResponse.redirect(target).withCookie(BINDING_COOKIE + "=" + binding + "; Path=" + CALLBACK + "; Max-Age="
                + STARTED_TTL.toSeconds() + "; HttpOnly; SameSite=Lax" + (secureCookies ? "; Secure" : ""));
    }

    /** The provider's redirect back to {@link #CALLBACK}. */
    public Outcome complete(AsRequest request) {
        Map<String, List<String>> query = request.query();
        Optional<String> state = single(query, "state");
        if (state.isEmpty() || state.get().length() > 200) {
            return new Outcome.Failed(400, "Sign-in failed", "The identity provider's answer names no sign-in (state is missing). "
                    + "Start again from the application.");
        }
        Optional<UpstreamLoginStore.StartedLogin> started = store.takeStarted(Secrets.hash(state.get()))
                .filter(s -> s.expiresAt().isAfter(clock.instant()));
        if (started.isEmpty()) {
            LOG.info("Federated login: a callback with an unknown, expired or already used state was refused");
            return new Outcome.Failed(400, "Sign-in expired", "This sign-in took too long or was already used. Start again from "
                    + "the application.");
        }
        Optional<String> binding = request.cookie(BINDING_COOKIE).filter(b -> RANDOM.matcher(b).matches());
        if (binding.isEmpty() || !Secrets.matches(binding.get(), started.get().bindingHash())) {
            LOG.warn("Federated login: a callback arrived in another browser than the one that started the sign-in (refused)");
            return new Outcome.Failed(400, "Sign-in refused", "This sign-in was started in another browser. Start again from the "
                    + "application, in this browser.");
        }
        String pendingHash = started.get().pendingHash();
        Optional<String> answeredBy = single(query, "iss");
        if (answeredBy.isPresent() && !answeredBy.get().equals(settings.issuer().toString())) {
            // RFC 9207: the answer of another provider (mix-up), even with a state of ours
            LOG.warn("Federated login: a callback named another issuer than {} (refused)", settings.issuer());
            return new Outcome.Failed(400, "Sign-in refused", "The answer came from another identity provider. Start again from the "
                    + "application.");
        }
        Optional<String> error = single(query, "error");
        if (error.isPresent()) {
            String code = error.get().replaceAll("[^A-Za-z0-9_.-]", "?");
            String description = single(query, "error_description").map(d -> ": " + LogSafe.text(d).replaceAll("[^\\x20-\\x7e]", "?"))
                    .orElse("");
            LOG.info("Federated login: the identity provider answered error {}", LogSafe.text(code));
            return new Outcome.Denied(pendingHash, "The identity provider did not sign you in (" + code + description + ").");
        }
        Optional<String> code = single(query, "code");
        if (code.isEmpty() || code.get().length() > 4096) {
            return new Outcome.Failed(400, "Sign-in failed", "The identity provider's answer has no code. Start again from the application.");
        }
        UpstreamProvider.SignIn signIn;
        try {
            signIn = provider.exchange(code.get(), callback, LoginBinding.codeVerifier(binding.get(), state.get()),
                    LoginBinding.nonce(binding.get(), state.get()));
        } catch (UpstreamProvider.Unavailable e) {
            return unavailablePage();
        } catch (UpstreamProvider.Refused e) {
            LOG.warn("Federated login: the identity provider refused the code ({})", LogSafe.text(e.error().getCode()));
            return new Outcome.Failed(400, "Sign-in failed", "The identity provider did not accept this sign-in. Start again from "
                    + "the application.");
        } catch (BadJOSEException | JOSEException | RuntimeException e) {
            LOG.warn("Federated login: the identity provider's ID token was refused: {}", LogSafe.text(e.getMessage()));
            return new Outcome.Failed(400, "Sign-in refused", "The identity provider's answer could not be verified. Start again "
                    + "from the application.");
        }
        String subject = signIn.idToken().getSubject().getValue();
        if (subject.isEmpty() || subject.length() > MAX_SUBJECT || !LogSafe.text(subject).equals(subject)) {
            LOG.warn("Federated login: refused a subject longer than {} characters or with control characters", MAX_SUBJECT);
            return new Outcome.Failed(400, "Sign-in refused", "The identity provider's user id is not usable here.");
        }
        Map<String, Object> claims = new HashMap<>();
        Optional<Map<String, Object>> userInfo = provider.userInfo(signIn.accessToken());
        if (userInfo.isPresent()) {
            if (!subject.equals(userInfo.get().get("sub"))) {
                LOG.warn("Federated login: userinfo names another subject than the ID token (refused)");
                return new Outcome.Failed(400, "Sign-in refused", "The identity provider's answers disagree about who you are.");
            }
            claims.putAll(userInfo.get());
        }
        claims.putAll(signIn.idToken().toJSONObject());
        Set<String> roles = ClaimMapping.strings(claims, settings.claims().roles());
        Set<String> allowed = roleScopes.grantedTo(roles);
        String username = ClaimMapping.text(claims, settings.claims().username())
                .or(() -> ClaimMapping.text(claims, settings.claims().email())).orElse(subject);
        username = username.isBlank() || username.length() > 200 || !LogSafe.text(username).equals(username) ? subject : username;
        if (allowed.isEmpty()) {
            LOG.info("Federated login: {} ({}) holds no role that grants a scope (roles {})", LogSafe.text(username),
                    LogSafe.text(subject), LogSafe.text(roles.toString()));
            return new Outcome.Denied(pendingHash, "Your account at " + settings.issuer().getHost() + " has no role that grants access "
                    + "here" + (roles.isEmpty() ? " (it has no roles in the claim " + settings.claims().roles() + ")"
                    : " (its roles: " + String.join(", ", roles).replaceAll("[^\\x20-\\x7e]", "?") + ")") + ". Ask your administrator.");
        }
        Instant now = clock.instant();
        LOG.info("Federated login: {} ({}) signed in at {}", LogSafe.text(username), LogSafe.text(subject), settings.issuer());
        return new Outcome.SignedIn(pendingHash, new UpstreamLoginStore.Login(Secrets.random(16), subject, username, roles, allowed,
                signIn.refreshToken(), Optional.of(signIn.idTokenText()), now, now.plus(loginLifetime)));
    }

    /** Keeps a login for the browser session {@code sessionId} started for it. */
    public void remember(String sessionId, UpstreamLoginStore.Login login) {
        store.putLogin(Secrets.hash(sessionId), login);
    }

    /** The federated login of a browser session, if it has one. */
    public Optional<UpstreamLoginStore.Login> loginOfSession(String sessionId) {
        return store.loginOfSession(Secrets.hash(sessionId));
    }

    /** The user of a login as the authorization pages need them: the subject as name, roles, and what they grant now. */
    public User userOf(UpstreamLoginStore.Login login) {
        return new User(login.subject(), "", login.roles(), roleScopes.grantedTo(login.roles()));
    }

    /** Binds the token family of a code issued in a browser session to that session's federated login. */
    public void bindFamily(String sessionId, String familyId) {
        loginOfSession(sessionId).ifPresent(login -> store.linkFamily(familyId, login.loginId()));
    }

    /**
     * The user of a grant (its token family {@code familyId}) as they are now. For a family bound to a federated login: checked at the provider (a refresh
     * with its refresh token) when the last check is older than the interval; empty when the provider refused (the
     * login is forgotten; the caller ends the family) or the login is gone. For any other family: {@code local}.
     *
     * @throws UpstreamUnavailableException when the check was due and the provider could not be reached
     */
    public Optional<User> currentUser(String familyId, Supplier<Optional<User>> local) {
        Optional<UpstreamLoginStore.Login> found = store.loginOfFamily(familyId);
        if (found.isEmpty()) {
            return local.get();
        }
        UpstreamLoginStore.Login login = found.get();
        Instant now = clock.instant();
        if (now.isBefore(login.checkedAt().plus(settings.refreshCheckInterval()))) {
            return Optional.of(userOf(login));
        }
        if (login.refreshToken().isEmpty()) {
            LOG.info("Federated login: {} cannot be checked at the provider (it gave no refresh token); the grant ends",
                    LogSafe.text(login.subject()));
            store.deleteLogin(login.loginId());
            return Optional.empty();
        }
        try {
            UpstreamProvider.Refreshed refreshed = provider.refresh(login.refreshToken().get());
            Optional<Set<String>> roles = rolesNow(login, refreshed);
            store.checked(login.loginId(), refreshed.refreshToken(), now);
            if (roles.isEmpty()) {
                return Optional.of(userOf(login));
            }
            Set<String> allowed = roleScopes.grantedTo(roles.get());
            if (allowed.isEmpty()) {
                LOG.info("Federated login: {} no longer holds a role that grants a scope (roles {}); their grants end",
                        LogSafe.text(login.subject()), LogSafe.text(roles.get().toString()));
                store.deleteLogin(login.loginId());
                return Optional.empty();
            }
            if (!roles.get().equals(login.roles())) {
                store.rolesChanged(login.loginId(), roles.get(), allowed);
            }
            return Optional.of(new User(login.subject(), "", roles.get(), allowed));
        } catch (SubjectChanged e) {
            LOG.warn("Federated login: a refresh at the provider answered for another subject than {}; its grants end",
                    LogSafe.text(login.subject()));
            store.deleteLogin(login.loginId());
            return Optional.empty();
        } catch (UpstreamProvider.Refused e) {
            LOG.info("Federated login: the provider no longer accepts the login of {} ({}); its grants end",
                    LogSafe.text(login.subject()), LogSafe.text(e.error().getCode()));
            store.deleteLogin(login.loginId());
            return Optional.empty();
        } catch (UpstreamProvider.Unavailable e) {
            throw new UpstreamUnavailableException();
        }
    }

    /**
     * The user's roles as the provider states them now (userinfo with the new access token, then the new ID token, as
     * at sign-in), or empty when the refresh told nothing about them (neither holds the roles claim).
     */
    private Optional<Set<String>> rolesNow(UpstreamLoginStore.Login login, UpstreamProvider.Refreshed refreshed) throws SubjectChanged {
        Map<String, Object> claims = new HashMap<>();
        Optional<Map<String, Object>> userInfo = provider.userInfo(refreshed.accessToken());
        if (userInfo.isPresent()) {
            if (!login.subject().equals(userInfo.get().get("sub"))) {
                throw new SubjectChanged();
            }
            claims.putAll(userInfo.get());
        }
        if (refreshed.idToken().isPresent()) {
            if (!login.subject().equals(refreshed.idToken().get().getSubject().getValue())) {
                throw new SubjectChanged();
            }
            claims.putAll(refreshed.idToken().get().toJSONObject());
        }
        // a refresh that says nothing about roles (no such claim at all, e.g. userinfo unreachable for a moment) keeps them
        String top = settings.claims().roles().split("\\.")[0];
        return claims.containsKey(top) ? Optional.of(ClaimMapping.strings(claims, settings.claims().roles())) : Optional.empty();
    }

    private static final class SubjectChanged extends Exception {
        SubjectChanged() {
            super(null, null, false, false);
        }
    }

    /** The check at the provider was due and the provider could not be reached: try again later (nothing is ended). */
    public static final class UpstreamUnavailableException extends RuntimeException {
        UpstreamUnavailableException() {
            super("the identity provider cannot be reached", null, false, false);
        }
    }

    /**
     * Ends the federated login of a browser session (sign-out): forgets it and answers the token families bound to it
     * (to be revoked), and where the browser goes next: the provider's end-session endpoint with {@code id_token_hint}
     * and {@code post_logout_redirect_uri}, when the provider has one.
     */
    public SignOut signOut(String sessionId, URI afterLogout) {
        Optional<UpstreamLoginStore.Login> login = loginOfSession(sessionId);
        if (login.isEmpty()) {
            return new SignOut(Set.of(), Optional.empty());
        }
        Set<String> families = store.familiesOfLogin(login.get().loginId());
        store.deleteLogin(login.get().loginId());
        Optional<URI> endSession = provider.endSessionEndpoint().map(endpoint -> {
            StringBuilder uri = new StringBuilder(endpoint.toString()).append(endpoint.getRawQuery() == null ? '?' : '&');
            login.get().idToken().ifPresent(t -> uri.append("id_token_hint=").append(t).append('&'));
            uri.append("client_id=").append(URLEncoder.encode(settings.clientId(), StandardCharsets.UTF_8))
                    .append("&post_logout_redirect_uri=").append(URLEncoder.encode(afterLogout.toString(), StandardCharsets.UTF_8));
            return URI.create(uri.toString());
        });
        LOG.info("Federated login: {} signed out", LogSafe.text(login.get().subject()));
        return new SignOut(families, endSession);
    }

    /** What a sign-out ended and where the browser goes. */
    public record SignOut(Set<String> families, Optional<URI> endSession) {
    }

    /** Forgets expired started sign-ins and logins. */
    public void cleanUp() {
        store.deleteExpired(clock.instant());
    }

    private static Outcome unavailablePage() {
        return new Outcome.Failed(503, "Sign-in unavailable", "The identity provider cannot be reached right now. Start again "
                + "from the application in a minute.");
    }

    private static Optional<String> single(Map<String, List<String>> query, String name) {
        List<String> values = query.getOrDefault(name, List.of());
        return values.size() == 1 && !values.get(0).isEmpty() ? Optional.of(values.get(0)) : Optional.empty();
    }
}
