package io.gatehouse.as.authorize;

import io.gatehouse.as.ScopeDescriptions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The login, consent, account and error pages: plain HTML with every dynamic value escaped (the operator's scope
 * descriptions too) and no scripts. Accessible: {@code lang}, one main landmark, headings in order, a label for
 * every input, real buttons, focus visible and in reading order, text contrast of at least 4.5:1 (WCAG AA).
 */
final class Pages {

    /** How the name of a client that named itself is marked wherever it is shown. */
    static final String UNVERIFIED = "unverified — the name was chosen by the application itself";

    private static final String STYLE = "body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#222;background:#fff;line-height:1.45}"
            + "h1{font-size:1.4rem}h2{font-size:1.1rem;margin:0 0 .3rem}label{display:block;margin:.8rem 0 .2rem}"
            + "input[type=text],input[type=password]{width:100%;padding:.5rem;box-sizing:border-box;border:1px solid #595959;border-radius:3px}"
            + "button{margin:1rem .5rem 0 0;padding:.5rem 1.2rem;font:inherit;border:1px solid #1a4b8c;border-radius:3px;background:#1a4b8c;color:#fff;cursor:pointer}"
            + "button.secondary{background:#fff;color:#1a4b8c}"
            + "a{color:#1a4b8c}:focus-visible{outline:3px solid #b35900;outline-offset:2px}"
            + ".error{color:#b00020}.host{font-family:monospace;background:#eee;padding:0 .3rem;overflow-wrap:anywhere}"
            + ".unverified{color:#8a3b00;font-weight:normal}.scope{font-size:.85rem;color:#595959}ul{padding-left:1.2rem}li{margin:.2rem 0}"
            + ".muted{color:#595959;font-size:.9rem}.client{border:1px solid #ccc;border-radius:4px;padding:.8rem;margin:.8rem 0;list-style:none}"
            + "#clients{padding-left:0}";
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Pages() {
    }

    /** What the pages show of a client: its name, whether the operator gave it, and its id. */
    record ClientLabel(String name, boolean nameVerified, String clientId) {
    }

    static String login(String action, String requestId, ClientLabel client, String error, String username) {
        return login(action, requestId, client, error, username, Optional.empty(), "");
    }

    /** The login form, with a link to sign in at the upstream provider {@code providerHost} when federation is on. */
    static String login(String action, String requestId, ClientLabel client, String error, String username,
                        Optional<String> upstreamLink, String providerHost) {
        return page("Sign in to Gatehouse", "<h1>Sign in to Gatehouse</h1>"
                + "<p>" + clientName(client) + " wants to access your MCP server.</p>"
                + (error.isEmpty() ? "" : "<p class=\"error\" role=\"alert\">" + Html.escape(error) + "</p>")
                + "<form method=\"post\" action=\"" + Html.escape(action) + "\" id=\"login-form\">"
                + hidden("request", requestId)
                + "<label for=\"username\">Username</label><input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\" value=\""
                + Html.escape(username) + "\" required autofocus>"
                + "<label for=\"password\">Password</label><input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required>"
                + "<button type=\"submit\" id=\"login\">Sign in</button></form>"
                + upstreamLink.map(link -> "<p><a id=\"login-upstream\" href=\"" + Html.escape(link) + "\">Sign in at "
                        + Html.escape(providerHost) + "</a></p>").orElse(""));
    }

    /**
     * The consent page: who asks (the name marked unverified unless the operator gave it), for which MCP server
     * (its name and URL), which permissions (described in words, the scope beside), and where the browser goes next.
     */
    static String consent(String action, String requestId, String csrf, ClientLabel client, String redirectHost,
                          boolean loopbackRedirect, String username, String resourceName, String resourceUrl, List<String> scopes,
                          ScopeDescriptions descriptions, String accountPath) {
        return page("Allow access?", "<h1>Allow access?</h1>"
                + "<p>Signed in as <strong>" + Html.escape(username) + "</strong>.</p>"
                + "<p id=\"client\">" + clientName(client) + " <span class=\"muted\">(client id " + Html.escape(client.clientId())
                + ")</span> wants to use <strong id=\"resource-name\">" + Html.escape(resourceName) + "</strong> at <span class=\"host\" id=\"resource-url\">"
                + Html.escape(resourceUrl) + "</span> on your behalf, with these permissions:</p>"
                + scopeList("scopes", scopes, descriptions)
                + "<p>After you answer you will be sent to <span class=\"host\" id=\"redirect-host\">" + Html.escape(redirectHost) + "</span>.</p>"
                + (loopbackRedirect ? "<p class=\"muted\">That is a program on this computer. Allow only if you started it.</p>" : "")
                + "<form method=\"post\" action=\"" + Html.escape(action) + "\" id=\"consent-form\">"
                + hidden("request", requestId) + hidden("csrf", csrf)
                + "<button type=\"submit\" name=\"decision\" value=\"approve\" id=\"approve\">Allow</button>"
                + "<button type=\"submit\" name=\"decision\" value=\"deny\" id=\"deny\" class=\"secondary\">Deny</button></form>"
                + "<p class=\"muted\">You can withdraw your permission at any time on <a href=\"" + Html.escape(accountPath)
                + "\">the page of applications you allowed</a>.</p>");
    }

    /** One approved client on the account page. */
    record Approved(ClientLabel client, List<String> redirectHosts, List<String> scopes, Instant grantedAt) {
    }

    /** The signed-in user's approved clients, each with a form to revoke it. */
    static String account(String revokeAction, String csrf, String username, String resourceName, List<Approved> approved,
                          ScopeDescriptions descriptions, boolean justRevoked) {
        return account(revokeAction, csrf, username, resourceName, approved, descriptions, justRevoked, "");
    }

    /** The account page, with a sign-out form posting to {@code signOutAction} unless it is empty. */
    static String account(String revokeAction, String csrf, String username, String resourceName, List<Approved> approved,
                          ScopeDescriptions descriptions, boolean justRevoked, String signOutAction) {
        String signOut = signOutAction.isEmpty() ? "" : "<form method=\"post\" action=\"" + Html.escape(signOutAction)
                + "\" id=\"sign-out-form\">" + hidden("csrf", csrf) + "<button type=\"submit\" id=\"sign-out\">Sign out</button></form>";
        StringBuilder list = new StringBuilder();
        int index = 0;
        for (Approved a : approved) {
            String heading = "client-" + index++;
            list.append("<li class=\"client\"><h2 id=\"").append(heading).append("\">")
                    .append(clientName(a.client())).append("</h2>")
                    .append("<p class=\"muted\">Client id <span class=\"client-id\">").append(Html.escape(a.client().clientId())).append("</span>")
                    .append(a.redirectHosts().isEmpty() ? "" : "; sends you back to " + a.redirectHosts().stream()
                            .map(h -> "<span class=\"host\">" + Html.escape(h) + "</span>").collect(Collectors.joining(", ")))
                    .append(a.grantedAt().equals(Instant.EPOCH) ? "" : "; allowed " + WHEN.format(a.grantedAt())).append(".</p>")
                    .append(scopeList(null, a.scopes(), descriptions))
                    .append("<form method=\"post\" action=\"").append(Html.escape(revokeAction)).append("\" class=\"revoke-form\">")
                    .append(hidden("csrf", csrf)).append(hidden("client_id", a.client().clientId()))
                    .append("<button type=\"submit\" class=\"revoke\" aria-describedby=\"").append(heading).append("\">Revoke access</button>")
                    .append("</form></li>");
        }
        return page("Applications you allowed", "<h1>Applications you allowed</h1>"
                + "<p>Signed in as <strong>" + Html.escape(username) + "</strong>. These applications may use <strong>"
                + Html.escape(resourceName) + "</strong> on your behalf. Revoking one ends its access at once; it has to ask you again.</p>"
                + (justRevoked ? "<p role=\"status\" id=\"revoked\">Access revoked.</p>" : "")
                + (approved.isEmpty() ? "<p id=\"no-clients\">You have not allowed any application.</p>"
                        : "<ul id=\"clients\">" + list + "</ul>") + signOut);
    }

    /** The account page for a browser that is not signed in: nothing listed. */
    static String accountSignedOut() {
        return page("Sign in first", "<h1>Sign in first</h1>"
                + "<p>This page lists the applications you allowed, once you are signed in. Sign in from an application that uses "
                + "this server, then open this page again.</p>");
    }

    static String error(String title, String message) {
        return page(title, "<h1>" + Html.escape(title) + "</h1><p class=\"error\">" + Html.escape(message) + "</p>"
                + "<p class=\"muted\">Return to the application and try again.</p>");
    }

    /** The client's name in bold; quoted and marked unverified unless the operator gave it. */
    static String clientName(ClientLabel client) {
        if (client.nameVerified()) {
            return "<strong class=\"client-name\">" + Html.escape(client.name()) + "</strong>";
        }
        return "<strong class=\"client-name\">“" + Html.escape(client.name()) + "”</strong> <span class=\"unverified\">("
                + UNVERIFIED + ")</span>";
    }

    private static String scopeList(String id, List<String> scopes, ScopeDescriptions descriptions) {
        String items = scopes.isEmpty() ? "<li>no scopes (only your identity)</li>"
                : scopes.stream().map(s -> "<li>" + descriptions.describe(s).map(d -> "<span class=\"scope-description\">"
                        + Html.escape(d) + "</span> ").orElse("") + "<code class=\"scope\">" + Html.escape(s) + "</code></li>")
                        .collect(Collectors.joining());
        return "<ul" + (id == null ? " class=\"scopes\"" : " id=\"" + id + "\" class=\"scopes\"") + ">" + items + "</ul>";
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + Html.escape(value) + "\">";
    }

    private static String page(String title, String body) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">"
                + "<title>" + Html.escape(title) + "</title><style>" + STYLE + "</style></head><body><main>" + body + "</main></body></html>";
    }
}
