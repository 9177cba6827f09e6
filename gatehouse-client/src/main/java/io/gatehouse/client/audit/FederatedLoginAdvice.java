package io.gatehouse.client.audit;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The fix {@code idp-check} names for an OpenID provider that MCP clients cannot use directly (or only with the
 * bridge): Gatehouse's embedded authorization server with federated login, where MCP clients register, use PKCE
 * and resource indicators at Gatehouse and users sign in at the provider. Carries a ready {@code login:} section
 * for the provider: its issuer, a client id placeholder, the secret from {@code GATEHOUSE_LOGIN_CLIENT_SECRET}
 * (never in the file), and the claim that holds roles or groups when the provider's kind can be told from its
 * issuer (Keycloak, Microsoft Entra ID, Okta, Google, Auth0).
 *
 * @param provider   the kind of provider, for the reader ("Keycloak", "Microsoft Entra ID", ..., or "OpenID provider")
 * @param issuer     the provider's issuer, as measured
 * @param rolesClaim the claim (dotted path) to read roles or groups from, when it can be told
 * @param register   what to register at the provider, in one sentence
 * @param claimsNote where the roles claim comes from at this provider, in one sentence
 */
public record FederatedLoginAdvice(String provider, String issuer, Optional<String> rolesClaim, String register, String claimsNote) {

    /** The placeholder for the client id the operator gets when registering Gatehouse at the provider. */
    public static final String CLIENT_ID_PLACEHOLDER = "YOUR-CLIENT-ID";

    /** Where the provider sends the browser back to, relative to Gatehouse's public URL. */
    public static final String CALLBACK_PATH = "/oauth/login/callback";

    private static final Pattern KEYCLOAK_REALM = Pattern.compile(".*/realms/[^/]+/?");

    /**
     * The advice for {@code report}: present only when the verdict is not usable or usable with the bridge, the
     * provider is an OpenID provider (federated login needs ID tokens) and its metadata named the issuer asked about.
     */
    public static Optional<FederatedLoginAdvice> forReport(IdpAudit.Report report) {
        if (report.verdict() == IdpAudit.Verdict.USABLE || !passed(report.checks(), "oidc") || !passed(report.checks(), "issuer")) {
            return Optional.empty();
        }
        return Optional.of(forIssuer(report.issuer()));
    }

    /** The advice for a provider known only by its issuer. */
    static FederatedLoginAdvice forIssuer(String issuer) {
        URI uri = URI.create(issuer);
        String host = Optional.ofNullable(uri.getHost()).orElse("").toLowerCase(Locale.ROOT);
        String path = Optional.ofNullable(uri.getPath()).orElse("");
        String confidential = "a confidential OpenID Connect client (authorization code, PKCE S256) with the redirect URI <public-url>"
                + CALLBACK_PATH;
        if (KEYCLOAK_REALM.matcher(path).matches()) {
            return new FederatedLoginAdvice("Keycloak", issuer, Optional.of("realm_access.roles"), "in the realm, " + confidential
                    + " and Client authentication on", "realm roles; add the realm roles mapper to the client with Add to ID token on");
        }
        if (host.equals("login.microsoftonline.com") || host.endsWith(".ciamlogin.com")) {
            return new FederatedLoginAdvice("Microsoft Entra ID", issuer, Optional.of("roles"), "an app registration with a Web "
                    + "redirect URI <public-url>" + CALLBACK_PATH + " and a client secret", "app roles defined on the app "
                    + "registration and assigned to users or groups (roles-claim: groups for group object ids instead)");
        }
        if (host.endsWith(".okta.com") || host.endsWith(".oktapreview.com") || host.endsWith(".okta-emea.com")) {
            return new FederatedLoginAdvice("Okta", issuer, Optional.of("groups"), "an OIDC Web Application with the sign-in "
                    + "redirect URI <public-url>" + CALLBACK_PATH, "a groups claim added to the ID token (the app's Sign On tab, "
                    + "or a claim of the custom authorization server), filtered to the groups that matter");
        }
        if (host.equals("accounts.google.com")) {
            return new FederatedLoginAdvice("Google", issuer, Optional.of("hd"), "an OAuth client of type Web application with the "
                    + "authorized redirect URI <public-url>" + CALLBACK_PATH, "Google puts no roles or groups in its ID token: map "
                    + "the Workspace domain (hd, absent for consumer accounts) or, with roles-claim: email, single addresses");
        }
        if (host.endsWith(".auth0.com")) {
            return new FederatedLoginAdvice("Auth0", issuer, Optional.of("https://gatehouse/roles"), "a Regular Web Application "
                    + "with the allowed callback URL <public-url>" + CALLBACK_PATH, "a custom claim a post-login Action sets: "
                    + "api.idToken.setCustomClaim('https://gatehouse/roles', event.authorization?.roles ?? []) (a namespace "
                    + "without dots: the claim path is split at dots)");
        }
        return new FederatedLoginAdvice("OpenID provider", issuer, Optional.empty(), confidential,
                "the claim your provider puts roles or groups in (often groups or roles)");
    }

    /** The {@code login:} section and an example {@code access.role-scopes}, ready to paste into gatehouse.yaml. */
    public String snippet() {
        StringBuilder out = new StringBuilder();
        out.append("auth: embedded\n");
        out.append("login:\n");
        out.append("  issuer: ").append(issuer).append('\n');
        out.append("  client-id: ").append(CLIENT_ID_PLACEHOLDER).append("   # the client you register at ").append(provider)
                .append('\n');
        out.append("  # its secret: export GATEHOUSE_LOGIN_CLIENT_SECRET=... (never in this file)\n");
        out.append("  scopes: [openid, profile, email]\n");
        if (rolesClaim.isPresent()) {
            out.append("  roles-claim: ").append(rolesClaim.get()).append('\n');
        } else {
            out.append("  # roles-claim: groups              # the claim holding roles or groups\n");
        }
        out.append("access:\n");
        out.append("  role-scopes:                        # which upstream ").append(rolesClaim.filter("hd"::equals).isPresent()
                ? "domains" : "roles or groups").append(" grant which scopes\n");
        out.append("    ").append(rolesClaim.filter("hd"::equals).isPresent() ? "example.com" : "mcp-user").append(": [mcp:read, mcp:tools]\n");
        return out.toString();
    }

    private static boolean passed(List<Check> checks, String id) {
        return checks.stream().anyMatch(c -> c.id().equals(id) && c.result() == Check.Result.YES);
    }
}
