package io.gatehouse.as;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.gatehouse.as.clients.ClientOrigin;
import io.gatehouse.as.clients.RegisteredClient;
import io.gatehouse.as.clients.Secrets;
import io.gatehouse.as.store.AsStores;
import io.gatehouse.as.users.PasswordHasher;
import io.gatehouse.as.users.User;
import io.gatehouse.as.users.UserDirectory;
import io.gatehouse.as.web.AsRequest;
import io.gatehouse.as.web.AsResponse;
import io.gatehouse.testkit.MutableClock;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Drives an in-process {@link AuthorizationServer} the way a browser and an OAuth client would: register, send
 * the browser to the authorization endpoint, log in, consent, and exchange the code at the token endpoint.
 * Every response is kept in {@link #responses}, so tests can check what the server ever sent.
 */
final class OAuthDriver {

    static final URI ISSUER = URI.create("http://localhost:9000");
    static final String RESOURCE = "http://localhost:9000/mcp";
    static final String LOOPBACK_REDIRECT = "http://127.0.0.1:7777/callback";
    static final String DEFAULT_SCOPE = "mcp:read mcp:tools";
    static final String ALICE_PASSWORD = "correct-horse-battery-staple";
    static final String ADMIN_PASSWORD = "Adm1n-pa55phrase-42";
    static final String SESSION_COOKIE = "gatehouse_session";

    static final User ALICE = new User("alice", PasswordHasher.hash(ALICE_PASSWORD.toCharArray()), Set.of("user"),
            Set.of("mcp:read", "mcp:tools"));
    /** alice may hold read and tools, admin everything, guest (alice's password) nothing. */
    static final UserDirectory USERS = new UserDirectory(List.of(ALICE,
            new User("guest", ALICE.passwordHash(), Set.of("guest"), Set.of()),
            new User("admin", PasswordHasher.hash(ADMIN_PASSWORD.toCharArray()), Set.of("admin"), Set.of("*"))));
    /** A public client the operator configured (the config file's clients: section). */
    static final Client OPERATOR_CLIENT = new Client("operator-app", Optional.empty(), LOOPBACK_REDIRECT);
    static final String CONFIGURED_SECRET = "configured-client-secret-0123456789";
    /** A machine the operator configured: client_credentials with HTTP Basic, mcp:read and mcp:tools. */
    static final Client MACHINE = configuredClient("machine");
    /** The same with client_secret_post and mcp:read only. */
    static final Client MACHINE_POST = configuredClient("machine-post");
    /** A configured machine the operator gave no scopes. */
    static final Client MACHINE_WITHOUT_SCOPES = configuredClient("machine-without-scopes");
    /** A resource server the operator configured for the introspection endpoint. */
    static final Client RESOURCE_SERVER = configuredClient("resource-server");
    /** The clients of the config file, as the app builds them from its clients section. */
    static final List<RegisteredClient> CONFIGURED = List.of(
            configured("machine", "client_secret_basic", Set.of("client_credentials"), Set.of("mcp:read", "mcp:tools"), false),
            configured("machine-post", "client_secret_post", Set.of("client_credentials"), Set.of("mcp:read"), false),
            configured("machine-without-scopes", "client_secret_basic", Set.of("client_credentials"), Set.of(), false),
            configured("resource-server", "client_secret_basic", Set.of(), Set.of(), true),
            new RegisteredClient(OPERATOR_CLIENT.id(), Optional.empty(), "Operator App", List.of(URI.create(LOOPBACK_REDIRECT)),
                    Set.of("authorization_code", "refresh_token"), "none", "native", Set.of(RegisteredClient.ANY_SCOPE), Instant.EPOCH,
                    ClientOrigin.CONFIGURED, false));
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Pattern HIDDEN = Pattern.compile("name=\"([a-z]+)\" value=\"([^\"]*)\"");

    final MutableClock clock;
    final AsStores stores;
    final AuthorizationServer server;
    final List<AsResponse> responses = new ArrayList<>();
    /** The address the next requests come from. */
    String remoteAddress = "127.0.0.1";

    OAuthDriver() {
        this(settings(true, Optional.empty()), Instant.now());
    }

    OAuthDriver(Instant start) {
        this(settings(true, Optional.empty()), start);
    }

    OAuthDriver(AsSettings settings) {
        this(settings, Instant.now());
    }

    OAuthDriver(AsSettings settings, Instant start) {
        this(settings, new MutableClock(start), AsStores.inMemory(new TestKeyStore()), USERS);
    }

    /** A server over existing stores, as after a restart with another user directory (users removed or demoted). */
    OAuthDriver(AsSettings settings, MutableClock clock, AsStores stores, UserDirectory users) {
        this(settings, clock, stores, users, CONFIGURED, AsMetrics.unread());
    }

    /** A server whose config file lists {@code configured} clients, counting into {@code metrics}. */
    OAuthDriver(AsSettings settings, List<RegisteredClient> configured, AsMetrics metrics) {
        this(settings, new MutableClock(Instant.now()), AsStores.inMemory(new TestKeyStore()), USERS, configured, metrics);
    }

    private OAuthDriver(AsSettings settings, MutableClock clock, AsStores stores, UserDirectory users, List<RegisteredClient> configured,
                        AsMetrics metrics) {
        this.clock = clock;
        this.stores = stores;
        this.server = new AuthorizationServer(settings, stores, configured, users, clock, metrics);
    }

    static RegisteredClient configured(String id, String authMethod, Set<String> grantTypes, Set<String> scopes, boolean introspection) {
        return new RegisteredClient(id, Optional.of(Secrets.hash(CONFIGURED_SECRET)), id, List.of(URI.create("https://" + id + ".example/cb")),
                grantTypes, authMethod, "web", scopes, Instant.EPOCH, ClientOrigin.CONFIGURED, introspection);
    }

    private static Client configuredClient(String id) {
        return new Client(id, Optional.of(CONFIGURED_SECRET), "https://" + id + ".example/cb");
    }

    static AsSettings settings(boolean dynamicRegistration, Optional<String> initialAccessToken) {
        return new AsSettings(ISSUER, List.of(URI.create(RESOURCE)), List.of("mcp:read", "mcp:tools", "mcp:prompts"),
                Duration.ofMinutes(15), Duration.ofDays(30), Duration.ofMinutes(1), dynamicRegistration,
                initialAccessToken, false, false, false);
    }

    /** A registered client as its owner knows it. */
    record Client(String id, Optional<String> secret, String redirectUri) {
        String basic() {
            return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret.orElseThrow()).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** An authorization request sent by the browser, and what the server answered. */
    record Start(Map<String, String> params, CodeVerifier verifier, AsResponse response) {
    }

    /** A completed authorization: the code and what the client needs to redeem it. */
    record Authorization(Client client, String code, CodeVerifier verifier, String redirectUri, Map<String, String> callback,
                         Optional<String> session) {
    }

    // ---------------------------------------------------------------- HTTP

    AsResponse send(String method, String path, Map<String, String> query, Map<String, String> form,
                    Map<String, String> headers, Optional<String> session, byte[] body) {
        return sendValues(method, path, multi(query), multi(form), headers, session, body);
    }

    /** A form POST whose parameters may repeat, as the transport hands it over (the body encodes the same). */
    AsResponse postFormValues(String path, Map<String, List<String>> form, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", "application/x-www-form-urlencoded");
        String body = form.entrySet().stream().flatMap(e -> e.getValue().stream().map(v -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8))).collect(Collectors.joining("&"));
        return sendValues("POST", path, Map.of(), form, all, Optional.empty(), body.getBytes(StandardCharsets.UTF_8));
    }

    private AsResponse sendValues(String method, String path, Map<String, List<String>> query, Map<String, List<String>> form,
                                  Map<String, String> headers, Optional<String> session, byte[] body) {
        Map<String, List<String>> lowerHeaders = new LinkedHashMap<>();
        headers.forEach((k, v) -> lowerHeaders.put(k.toLowerCase(Locale.ROOT), List.of(v)));
        Map<String, String> cookies = session.map(s -> Map.of(SESSION_COOKIE, s)).orElse(Map.of());
        AsRequest request = new AsRequest(method, path, query, form, lowerHeaders, cookies, body, remoteAddress);
        Optional<AsResponse> response = server.handle(request);
        assertThat(response).as("the server serves %s %s", method, path).isPresent();
        responses.add(response.get());
        return response.get();
    }

    AsResponse get(String path, Map<String, String> query, Optional<String> session) {
        return send("GET", path, query, Map.of(), Map.of(), session, new byte[0]);
    }

    AsResponse postForm(String path, Map<String, String> form, Map<String, String> headers, Optional<String> session) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", "application/x-www-form-urlencoded");
        return send("POST", path, Map.of(), form, all, session, formEncode(form).getBytes(StandardCharsets.UTF_8));
    }

    AsResponse postJson(String path, String json, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", "application/json");
        return send("POST", path, Map.of(), Map.of(), all, Optional.empty(), json.getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- registration

    AsResponse register(String json) {
        return postJson(AuthorizationServer.REGISTER, json, Map.of());
    }

    Client registerPublic(String name, String... redirectUris) {
        return client(register("{\"client_name\":\"" + name + "\",\"redirect_uris\":" + jsonArray(redirectUris)
                + ",\"grant_types\":[\"authorization_code\",\"refresh_token\"],\"token_endpoint_auth_method\":\"none\"}"));
    }

    Client registerPublic() {
        return registerPublic("Test App", LOOPBACK_REDIRECT);
    }

    Client registerConfidential(String authMethod, String... grantTypes) {
        return client(register("{\"client_name\":\"Backend\",\"redirect_uris\":[\"https://backend.example.com/cb\"],"
                + "\"grant_types\":" + jsonArray(grantTypes) + ",\"token_endpoint_auth_method\":\"" + authMethod + "\"}"));
    }

    static Client client(AsResponse registration) {
        assertThat(registration.status()).as(body(registration)).isEqualTo(201);
        Map<String, Object> json = json(registration);
        List<?> uris = (List<?>) json.get("redirect_uris");
        return new Client((String) json.get("client_id"), Optional.ofNullable((String) json.get("client_secret")),
                (String) uris.get(0));
    }

    // ---------------------------------------------------------------- authorization

    /** The browser's authorization request: code flow with PKCE S256, state and resource, changed by overrides. */
    Start start(Client client, Optional<String> session, String... overrides) {
        CodeVerifier verifier = new CodeVerifier();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", client.id());
        params.put("redirect_uri", client.redirectUri());
        params.put("scope", DEFAULT_SCOPE);
        params.put("state", Secrets.random(12));
        params.put("code_challenge", CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue());
        params.put("code_challenge_method", "S256");
        params.put("resource", RESOURCE);
        apply(params, overrides);
        return new Start(params, verifier, get(AuthorizationServer.AUTHORIZE, params, session));
    }

    Start start(Client client, String... overrides) {
        return start(client, Optional.empty(), overrides);
    }

    AsResponse login(AsResponse loginPage, String username, String password) {
        assertThat(loginPage.status()).as(body(loginPage)).isIn(200, 401);
        return postForm(AuthorizationServer.LOGIN,
                params("request", hidden(loginPage, "request"), "username", username, "password", password), Map.of(), Optional.empty());
    }

    AsResponse consent(AsResponse consentPage, Optional<String> session, String decision) {
        return consent(consentPage, session, decision, hidden(consentPage, "csrf"));
    }

    AsResponse consent(AsResponse consentPage, Optional<String> session, String decision, String csrf) {
        Map<String, String> form = params("request", hidden(consentPage, "request"), "csrf", csrf, "decision", decision);
        return postForm(AuthorizationServer.CONSENT, form, Map.of(), session);
    }

    /** Start, log in and approve; answers the code the browser brings back to the client. */
    Authorization authorizeAs(String username, String password, Client client, String... overrides) {
        Start start = start(client, overrides);
        AsResponse afterLogin = login(start.response(), username, password);
        Optional<String> session = sessionCookie(afterLogin);
        AsResponse last = afterLogin.status() == 302 ? afterLogin : consent(afterLogin, session, "approve");
        assertThat(last.status()).as(body(last)).isEqualTo(302);
        Map<String, String> callback = callback(last);
        assertThat(callback).containsKey("code");
        return new Authorization(client, callback.get("code"), start.verifier(), start.params().get("redirect_uri"), callback, session);
    }

    Authorization authorize(Client client, String... overrides) {
        return authorizeAs("alice", ALICE_PASSWORD, client, overrides);
    }

    AsResponse exchange(Authorization authorization, String... overrides) {
        Map<String, String> form = params("grant_type", "authorization_code", "code", authorization.code(),
                "redirect_uri", authorization.redirectUri(), "code_verifier", authorization.verifier().getValue(),
                "client_id", authorization.client().id());
        apply(form, overrides);
        return postForm(AuthorizationServer.TOKEN, form, Map.of(), Optional.empty());
    }

    /** The whole code flow for alice; answers the token response. */
    Map<String, Object> tokens(Client client, String... overrides) {
        AsResponse response = exchange(authorize(client, overrides));
        assertThat(response.status()).as(body(response)).isEqualTo(200);
        return json(response);
    }

    AsResponse refresh(Client client, String refreshToken, String... overrides) {
        Map<String, String> form = params("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", client.id());
        apply(form, overrides);
        return postForm(AuthorizationServer.TOKEN, form, Map.of(), Optional.empty());
    }

    AsResponse introspect(Client confidential, String token) {
        return postForm(AuthorizationServer.INTROSPECT, params("token", token), Map.of("Authorization", confidential.basic()), Optional.empty());
    }

    AsResponse revoke(Client publicClient, String token) {
        return postForm(AuthorizationServer.REVOKE, params("token", token, "client_id", publicClient.id()), Map.of(), Optional.empty());
    }

    // ---------------------------------------------------------------- reading answers

    /** Name/value pairs in order; a null value in {@link #apply} removes the parameter. */
    static Map<String, String> params(String... namesAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        apply(map, namesAndValues);
        return map;
    }

    static void apply(Map<String, String> params, String... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] == null) {
                params.remove(namesAndValues[i]);
            } else {
                params.put(namesAndValues[i], namesAndValues[i + 1]);
            }
        }
    }

    static String body(AsResponse response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    static Map<String, Object> json(AsResponse response) {
        return json(body(response));
    }

    static Map<String, Object> json(String text) {
        return MAPPER.readValue(text, new TypeReference<Map<String, Object>>() { });
    }

    static String hidden(AsResponse page, String name) {
        Matcher m = HIDDEN.matcher(body(page));
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return m.group(2);
            }
        }
        throw new AssertionError("no hidden field " + name + " in " + body(page));
    }

    static Optional<String> sessionCookie(AsResponse response) {
        return response.setCookies().stream().filter(c -> c.startsWith(SESSION_COOKIE + "="))
                .map(c -> c.substring(SESSION_COOKIE.length() + 1).split(";", 2)[0]).findFirst();
    }

    /** The query parameters of the redirect's Location. */
    static Map<String, String> callback(AsResponse redirect) {
        assertThat(redirect.status()).as(body(redirect)).isEqualTo(302);
        return query(URI.create(redirect.headers().get("Location")));
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        if (uri.getRawQuery() == null) {
            return out;
        }
        for (String pair : uri.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return out;
    }

    /** The JOSE header of a JWT, decoded without checking anything. */
    static Map<String, Object> jwtHeader(String token) {
        return json(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8));
    }

    /** The claims of a JWT, decoded without checking anything. */
    static Map<String, Object> jwtClaims(String token) {
        return json(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    static String accessToken(Map<String, Object> tokenResponse) {
        return (String) tokenResponse.get("access_token");
    }

    static String jti(Map<String, Object> tokenResponse) {
        return (String) jwtClaims(accessToken(tokenResponse)).get("jti");
    }

    static String formEncode(Map<String, String> form) {
        return form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private static Map<String, List<String>> multi(Map<String, String> single) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        single.forEach((k, v) -> out.put(k, List.of(v)));
        return out;
    }

    private static String jsonArray(String... values) {
        return java.util.Arrays.stream(values).map(v -> "\"" + v + "\"").collect(Collectors.joining(",", "[", "]"));
    }
}
