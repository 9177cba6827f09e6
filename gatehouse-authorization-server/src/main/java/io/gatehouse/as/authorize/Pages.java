package io.gatehouse.as.authorize;

import java.util.List;
import java.util.stream.Collectors;

/** The login, consent and error pages: plain HTML with every dynamic value escaped and no scripts. */
final class Pages {

    private static final String STYLE = "body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#222}"
            + "h1{font-size:1.4rem}label{display:block;margin:.8rem 0 .2rem}input[type=text],input[type=password]{width:100%;padding:.5rem;box-sizing:border-box}"
            + "button{margin:1rem .5rem 0 0;padding:.5rem 1.2rem}.error{color:#b00020}.host{font-family:monospace;background:#eee;padding:0 .3rem}"
            + "ul{padding-left:1.2rem}.muted{color:#666;font-size:.9rem}";

    private Pages() {
    }

    static String login(String action, String requestId, String clientName, String error, String username) {
        return page("Sign in to Gatehouse", "<h1>Sign in to Gatehouse</h1>"
                + "<p><strong>" + Html.escape(clientName) + "</strong> wants to access your MCP server.</p>"
                + (error.isEmpty() ? "" : "<p class=\"error\" role=\"alert\">" + Html.escape(error) + "</p>")
                + "<form method=\"post\" action=\"" + Html.escape(action) + "\" id=\"login-form\">"
                + hidden("request", requestId)
                + "<label for=\"username\">Username</label><input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\" value=\""
                + Html.escape(username) + "\" required autofocus>"
                + "<label for=\"password\">Password</label><input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required>"
                + "<button type=\"submit\" id=\"login\">Sign in</button></form>");
    }

    static String consent(String action, String requestId, String csrf, String clientName, String clientId,
                          String redirectHost, boolean loopbackRedirect, String username, List<String> scopes) {
        String scopeList = scopes.isEmpty() ? "<li>no scopes (only your identity)</li>"
                : scopes.stream().map(s -> "<li><code>" + Html.escape(s) + "</code></li>").collect(Collectors.joining());
        return page("Allow access?", "<h1>Allow access?</h1>"
                + "<p>Signed in as <strong>" + Html.escape(username) + "</strong>.</p>"
                + "<p><strong>" + Html.escape(clientName) + "</strong> <span class=\"muted\">(client id " + Html.escape(clientId)
                + ")</span> wants to use your MCP server with these permissions:</p><ul id=\"scopes\">" + scopeList + "</ul>"
                + "<p>After you answer you will be sent to <span class=\"host\" id=\"redirect-host\">" + Html.escape(redirectHost) + "</span>.</p>"
                + (loopbackRedirect ? "<p class=\"muted\">That is a program on this computer. Allow only if you started it.</p>" : "")
                + "<form method=\"post\" action=\"" + Html.escape(action) + "\" id=\"consent-form\">"
                + hidden("request", requestId) + hidden("csrf", csrf)
                + "<button type=\"submit\" name=\"decision\" value=\"approve\" id=\"approve\">Allow</button>"
                + "<button type=\"submit\" name=\"decision\" value=\"deny\" id=\"deny\">Deny</button></form>");
    }

    static String error(String title, String message) {
        return page(title, "<h1>" + Html.escape(title) + "</h1><p class=\"error\">" + Html.escape(message) + "</p>"
                + "<p class=\"muted\">Return to the application and try again.</p>");
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + Html.escape(value) + "\">";
    }

    private static String page(String title, String body) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">"
                + "<title>" + Html.escape(title) + "</title><style>" + STYLE + "</style></head><body>" + body + "</body></html>";
    }
}
