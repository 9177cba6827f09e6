package io.gatehouse.app;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A headless browser for federated login, from Java: follows an authorization URL at Gatehouse to the upstream
 * provider (Keycloak), signs in on the provider's login form, follows the provider back to Gatehouse's callback,
 * approves Gatehouse's consent page, and stops at the client's redirect URI, or at the first page it does not know
 * (an error page). Cookies are kept per origin, as a browser keeps them per site.
 */
final class FederatedBrowser {

    /** Where the journey ended: the client's callback URL, or the last page; and the pages filled in on the way. */
    record Outcome(URI callback, HttpResponse<String> lastPage, List<String> pages) {
        boolean reachedClient() {
            return callback != null;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, Map<String, String>> jars = new HashMap<>();

    Outcome signIn(URI authorizationUrl, String redirectUri, String username, String password) throws Exception {
        List<String> pages = new ArrayList<>();
        URI url = authorizationUrl;
        HttpResponse<String> response = send(HttpRequest.newBuilder(url).GET(), url);
        for (int step = 0; step < 20; step++) {
            if (response.statusCode() / 100 == 3) {
                URI next = url.resolve(response.headers().firstValue("Location").orElseThrow());
                if (next.toString().startsWith(redirectUri)) {
                    return new Outcome(next, null, pages);
                }
                url = next;
                response = send(HttpRequest.newBuilder(url).GET(), url);
                continue;
            }
            String html = response.body();
            if (html.contains("id=\"kc-form-login\"")) {
                pages.add("provider-login " + origin(url));
                Matcher action = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"").matcher(html);
                if (!action.find()) {
                    throw new IllegalStateException("no action on Keycloak's login form");
                }
                url = url.resolve(action.group(1).replace("&amp;", "&"));
                response = send(post(url, Map.of("username", username, "password", password, "credentialId", "")), url);
                continue;
            }
            if (html.contains("id=\"consent-form\"")) {
                pages.add("gatehouse-consent " + origin(url));
                url = URI.create(origin(url) + "/oauth/consent");
                response = send(post(url, Map.of("request", field(html, "request"), "csrf", field(html, "csrf"), "decision", "approve"))
                        .header("Origin", origin(url)), url);
                continue;
            }
            return new Outcome(null, response, pages);
        }
        throw new IllegalStateException("more than 20 steps without reaching the client");
    }

    private static HttpRequest.Builder post(URI url, Map<String, String> form) {
        return HttpRequest.newBuilder(url).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(OAuthTestDriver.form(new LinkedHashMap<>(form))));
    }

    private HttpResponse<String> send(HttpRequest.Builder request, URI url) throws Exception {
        Map<String, String> jar = jars.computeIfAbsent(origin(url), o -> new LinkedHashMap<>());
        if (!jar.isEmpty()) {
            request.header("Cookie", jar.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        for (String setCookie : response.headers().allValues("Set-Cookie")) {
            String pair = setCookie.split(";", 2)[0];
            String name = pair.substring(0, pair.indexOf('=')).trim();
            String value = pair.substring(pair.indexOf('=') + 1);
            if (value.isEmpty() || setCookie.toLowerCase(java.util.Locale.ROOT).matches(".*max-age=0(;.*|$)")) {
                jar.remove(name);
            } else {
                jar.put(name, value);
            }
        }
        return response;
    }

    private static String origin(URI url) {
        return url.getScheme() + "://" + url.getRawAuthority();
    }

    private static String field(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " field in: " + html);
        }
        return m.group(1).replace("&amp;", "&");
    }
}
