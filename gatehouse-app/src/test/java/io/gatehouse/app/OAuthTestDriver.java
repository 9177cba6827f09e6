package io.gatehouse.app;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Drives the embedded authorization server from Java as a client and its user would: register, log in, consent, exchange. */
final class OAuthTestDriver {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private final URI base;
    private final HttpClient http;
    private final Map<String, String> cookies = new LinkedHashMap<>();

    OAuthTestDriver(URI base) {
        this(base, HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build());
    }

    /** With this client (e.g. one that speaks HTTP/2 and trusts a test certificate); it must not follow redirects. */
    OAuthTestDriver(URI base, HttpClient http) {
        this.base = base;
        this.http = http;
    }

    JsonNode register(String redirectUri) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/oauth/register"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
                        {"client_name":"Java test client","redirect_uris":["%s"],"grant_types":["authorization_code","refresh_token"],
                         "token_endpoint_auth_method":"none","application_type":"native"}""".formatted(redirectUri))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("registration failed: " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    HttpResponse<String> authorize(String clientId, String redirectUri, String verifier, String scope) throws Exception {
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        return get("/oauth/authorize?" + form(Map.of("response_type", "code", "client_id", clientId, "redirect_uri", redirectUri,
                "code_challenge", challenge, "code_challenge_method", "S256", "state", "s1", "scope", scope)));
    }

    /** An authorization request with exactly these parameters (e.g. without {@code redirect_uri}). */
    HttpResponse<String> authorize(Map<String, String> params) throws Exception {
        return get("/oauth/authorize?" + form(params));
    }

    static String challenge(String verifier) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Opens a complete authorization URL as a browser would, with the cookies this driver holds. */
    HttpResponse<String> open(URI url) throws IOException, InterruptedException {
        return get(url.toString());
    }

    /** Logs in and consents on the pages an authorization request led to; returns the redirect with the code. */
    URI loginAndConsent(HttpResponse<String> page, String username, String password) throws Exception {
        HttpResponse<String> consent = login(page, username, password);
        if (consent.statusCode() == 302) {
            return URI.create(consent.headers().firstValue("Location").orElseThrow());
        }
        HttpResponse<String> done = post("/oauth/consent", Map.of("request", field(consent.body(), "request"),
                "csrf", field(consent.body(), "csrf"), "decision", "approve"));
        return URI.create(done.headers().firstValue("Location").orElseThrow());
    }

    /** Approves on a consent page (a federated sign-in led to it); returns the redirect with the code. */
    URI consent(HttpResponse<String> consentPage) throws Exception {
        HttpResponse<String> done = post("/oauth/consent", Map.of("request", field(consentPage.body(), "request"),
                "csrf", field(consentPage.body(), "csrf"), "decision", "approve"));
        return URI.create(done.headers().firstValue("Location").orElseThrow());
    }

    /** Logs in on the page an authorization request led to; answers what comes next (consent page, redirect or error page). */
    HttpResponse<String> login(HttpResponse<String> page, String username, String password) throws Exception {
        return post("/oauth/login", Map.of("request", field(page.body(), "request"), "username", username, "password", password));
    }

    JsonNode token(Map<String, String> form) throws Exception {
        HttpResponse<String> response = post("/oauth/token", form);
        return JSON.readTree(response.body());
    }

    /**
     * A user logs in through a fresh browser, consents to {@code mcp:read mcp:tools}, and the code is redeemed with
     * PKCE: the token response, which must hold a refresh token.
     */
    static JsonNode logIn(URI base, String clientId, String redirect, String verifier, String username, String password) throws Exception {
        OAuthTestDriver driver = new OAuthTestDriver(base);
        URI callback = driver.loginAndConsent(driver.authorize(clientId, redirect, verifier, "mcp:read mcp:tools"), username, password);
        JsonNode tokens = driver.token(Map.of("grant_type", "authorization_code", "code", param(callback, "code"),
                "redirect_uri", redirect, "client_id", clientId, "code_verifier", verifier));
        if (tokens.path("refresh_token").asString("").isBlank()) {
            throw new IllegalStateException("no refresh token: " + tokens);
        }
        return tokens;
    }

    /** The token request that redeems the refresh token of {@code tokens} for a public client. */
    static Map<String, String> refreshForm(JsonNode tokens, String clientId) {
        return Map.of("grant_type", "refresh_token", "refresh_token", tokens.path("refresh_token").asString(), "client_id", clientId);
    }

    static String param(URI uri, String name) {
        Matcher m = Pattern.compile("(?:^|&)" + name + "=([^&]*)").matcher(uri.getRawQuery());
        return m.find() ? java.net.URLDecoder.decode(m.group(1), StandardCharsets.UTF_8) : null;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return remember(http.send(HttpRequest.newBuilder(base.resolve(path)).header("Cookie", cookieHeader()).GET().build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private HttpResponse<String> post(String path, Map<String, String> form) throws IOException, InterruptedException {
        return remember(http.send(HttpRequest.newBuilder(base.resolve(path)).header("Cookie", cookieHeader())
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", base.toString().replaceAll("/$", ""))
                .POST(HttpRequest.BodyPublishers.ofString(form(form))).build(), HttpResponse.BodyHandlers.ofString()));
    }

    private HttpResponse<String> remember(HttpResponse<String> response) {
        for (String setCookie : response.headers().allValues("Set-Cookie")) {
            String pair = setCookie.split(";", 2)[0];
            cookies.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        return response;
    }

    private String cookieHeader() {
        return cookies.isEmpty() ? "none=1" : cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("; "));
    }

    private static String field(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " field in: " + html);
        }
        return m.group(1).replace("&amp;", "&");
    }

    static String form(Map<String, String> values) {
        return values.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }
}
