package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.gatehouse.server.internal.config.ConfigException;
import io.gatehouse.as.authorize.AuthorizationEndpoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Attacks on the embedded authorization server's browser endpoints ({@code /oauth/authorize}, {@code /oauth/login},
 * {@code /oauth/consent}), over HTTP against a running {@code gatehouse serve --auth embedded}: consent bypass,
 * memory growth from unauthenticated requests, concurrent password guessing, error redirects to attacker-chosen
 * URIs, and the registration setting (issue 10, findings 3, 5, 9 and 13).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("attack")
class AuthorizeAttackTest {

    static final String PASSWORD = "demo-password-for-attack-tests";
    static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    static final String LOOPBACK_REDIRECT = "http://127.0.0.1:7777/callback";
    static final String ATTACKER_REDIRECT = "https://attacker.example/landing";
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Pattern HIDDEN = Pattern.compile("name=\"([a-z]+)\" value=\"([^\"]*)\"");

    static RunningGatehouse gatehouse;
    static HttpServer documents;
    static URI base;
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() throws Exception {
        documents = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        documents.createContext("/client.json", exchange -> {
            String id = "http://127.0.0.1:" + documents.getAddress().getPort() + "/client.json";
            byte[] body = ("{\"client_id\":\"" + id + "\",\"client_name\":\"Document client\",\"redirect_uris\":[\""
                    + ATTACKER_REDIRECT + "\"],\"token_endpoint_auth_method\":\"none\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        documents.start();
        Path dir = Files.createTempDirectory("gatehouse-authorize-attack");
        Path config = Files.writeString(dir.resolve("gatehouse.yaml"), """
                clients:
                  - client-id: operator-app
                    name: Operator App
                    redirect-uris: [http://127.0.0.1/callback]
                    token-endpoint-auth-method: none
                """);
        gatehouse = RunningGatehouse.start("auth", "embedded", "demo-password", PASSWORD, "data-dir", dir.resolve("data").toString(),
                "config", config.toString(), "client-metadata-on-loopback", "true");
        base = URI.create("http://localhost:" + gatehouse.gatehouse.port());
    }

    @AfterAll
    static void stop() throws Exception {
        if (gatehouse != null) {
            gatehouse.close();
        }
        if (documents != null) {
            documents.stop(0);
        }
    }

    // ---------------------------------------------------------------- SEC10-3 consent bypass

    @Test
    @Tag("SEC10-3")
    void a_signed_in_user_is_never_sent_back_with_a_code_to_a_client_she_never_approved() throws Exception {
        String alice = signedInSession("alice");
        String attacker = register(ATTACKER_REDIRECT);

        for (String scope : List.of("admin:everything", "mcp:prompts", "mcp:prompts admin:everything")) {
            HttpResponse<String> response = authorize(authorizeParams(attacker, ATTACKER_REDIRECT, "scope", scope), alice);

            assertThat(response.statusCode()).as(scope).isEqualTo(400);
            assertThat(response.headers().firstValue("Location")).as(scope).isEmpty();
            assertThat(response.body()).as(scope).contains("invalid_scope").doesNotContain("code=");
        }
        HttpResponse<String> grantable = authorize(authorizeParams(attacker, ATTACKER_REDIRECT, "scope", "mcp:read"), alice);
        assertThat(grantable.statusCode()).isEqualTo(200);
        assertThat(grantable.body()).contains("Allow access?", "mcp:read", "attacker.example");
    }

    @Test
    @Tag("SEC10-3")
    void a_user_who_may_hold_nothing_gets_no_code_for_a_client_she_never_approved() throws Exception {
        String attacker = register(ATTACKER_REDIRECT);
        HttpResponse<String> loginPage = authorize(authorizeParams(attacker, ATTACKER_REDIRECT, "scope", null), null);

        HttpResponse<String> afterLogin = post("/oauth/login", Map.of("request", hidden(loginPage, "request"),
                "username", "guest", "password", PASSWORD), null);

        assertThat(afterLogin.statusCode()).isEqualTo(400);
        assertThat(afterLogin.headers().firstValue("Location")).isEmpty();
        assertThat(afterLogin.body()).contains("invalid_scope").doesNotContain("code=");
    }

    // ---------------------------------------------------------------- SEC10-5 memory growth

    @Test
    @Tag("SEC10-5")
    void twenty_thousand_unauthenticated_authorize_requests_with_the_largest_state_hold_a_bounded_amount() throws Exception {
        String client = register(LOOPBACK_REDIRECT);
        String state = "s".repeat(1024);
        // from 25 loopback addresses, 800 each: under the per-address limit on sign-ins started (1,000 per 10
        // minutes), so every request is served and the store's own bound is what keeps the total small
        int addresses = 25;
        int requests = 20_000;
        AtomicInteger loginPages = new AtomicInteger();
        URI query = URI.create("http://127.0.0.1:" + base.getPort() + "/oauth/authorize?"
                + OAuthTestDriver.form(authorizeParams(client, LOOPBACK_REDIRECT, "state", state)));
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> done = new ArrayList<>();
            for (int a = 0; a < addresses; a++) {
                InetAddress from = InetAddress.getByName("127.0.1." + (a + 1));
                done.add(pool.submit(() -> {
                    HttpClient http = HttpClient.newBuilder().localAddress(from).followRedirects(HttpClient.Redirect.NEVER).build();
                    for (int i = 0; i < requests / addresses; i++) {
                        if (http.send(HttpRequest.newBuilder(query).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                            loginPages.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
        }

        AuthorizationEndpoint.Held held = gatehouse.gatehouse.authorizationServer().orElseThrow().heldBrowserState();
        assertThat(loginPages.get()).isEqualTo(requests);
        assertThat(held.pendingBytes()).isLessThanOrEqualTo(32L << 20);
        assertThat(held.pendingAuthorizations()).isLessThan(requests / 2);
        HttpResponse<String> newest = authorize(authorizeParams(client, LOOPBACK_REDIRECT, "state", state), null);
        HttpResponse<String> consent = post("/oauth/login", Map.of("request", hidden(newest, "request"),
                "username", "admin", "password", PASSWORD), null);
        assertThat(consent.statusCode()).as("the newest sign-in still works").isEqualTo(200);
    }

    @Test
    @Tag("SEC10-5")
    void authorize_requests_with_a_4_KB_state_are_refused_with_a_page_and_hold_nothing() throws Exception {
        String client = register(LOOPBACK_REDIRECT);
        long before = gatehouse.gatehouse.authorizationServer().orElseThrow().heldBrowserState().pendingAuthorizations();

        for (int i = 0; i < 200; i++) {
            HttpResponse<String> response = authorize(authorizeParams(client, LOOPBACK_REDIRECT, "state", "s".repeat(4096)), null);
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.headers().firstValue("Location")).isEmpty();
            assertThat(response.body()).contains("state is too long").doesNotContain("ssss");
        }

        long after = gatehouse.gatehouse.authorizationServer().orElseThrow().heldBrowserState().pendingAuthorizations();
        assertThat(after).isLessThanOrEqualTo(before);
    }

    @Test
    @Tag("SEC10-5")
    void every_over_long_parameter_of_the_three_endpoints_is_a_400_page_without_echo() throws Exception {
        String client = register(LOOPBACK_REDIRECT);
        Map<String, String> tooLong = Map.of("client_id", "c".repeat(513), "redirect_uri", LOOPBACK_REDIRECT + "?x=" + "r".repeat(2000),
                "scope", "mcp:read " + "x".repeat(2000), "code_challenge", "A".repeat(129), "resource", base + "/mcp?" + "q".repeat(2000),
                "nonce", "n".repeat(513));
        for (var entry : tooLong.entrySet()) {
            HttpResponse<String> response = authorize(authorizeParams(client, LOOPBACK_REDIRECT, entry.getKey(), entry.getValue()), null);
            assertThat(response.statusCode()).as(entry.getKey()).isEqualTo(400);
            assertThat(response.headers().firstValue("Location")).as(entry.getKey()).isEmpty();
            assertThat(response.body()).as(entry.getKey()).contains(entry.getKey() + " is too long").doesNotContain(entry.getValue());
        }
        String request = hidden(authorize(authorizeParams(client, LOOPBACK_REDIRECT), null), "request");
        for (var field : Map.of("username", "u".repeat(201), "password", "p".repeat(1025)).entrySet()) {
            Map<String, String> form = new LinkedHashMap<>(Map.of("request", request, "username", "alice", "password", "wrong"));
            form.put(field.getKey(), field.getValue());
            HttpResponse<String> response = post("/oauth/login", form, null);
            assertThat(response.statusCode()).as(field.getKey()).isEqualTo(400);
            assertThat(response.body()).as(field.getKey()).contains(field.getKey() + " is too long").doesNotContain(field.getValue());
            assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
        }
        HttpResponse<String> consent = post("/oauth/consent", Map.of("request", request, "csrf", "x".repeat(65), "decision", "approve"), null);
        assertThat(consent.statusCode()).isEqualTo(400);
        assertThat(consent.headers().firstValue("Location")).isEmpty();
    }

    // ---------------------------------------------------------------- SEC10-9 login throttle race

    @Test
    @Tag("SEC10-9")
    void concurrent_wrong_password_logins_beyond_the_limit_are_refused_without_being_evaluated() throws Exception {
        String client = register(LOOPBACK_REDIRECT);
        String request = hidden(authorize(authorizeParams(client, LOOPBACK_REDIRECT), null), "request");
        int guesses = 20;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < guesses; i++) {
                String guess = "guess-" + i;
                statuses.add(pool.submit(() -> {
                    go.await(30, TimeUnit.SECONDS);
                    return post("/oauth/login", Map.of("request", request, "username", "bob", "password", guess), null).statusCode();
                }));
            }
            go.countDown();
        }
        List<Integer> answers = new ArrayList<>();
        for (Future<Integer> status : statuses) {
            answers.add(status.get());
        }

        assertThat(answers).containsOnly(401, 429);
        assertThat(answers.stream().filter(s -> s == 401).count()).as("guesses evaluated").isEqualTo(5);
        HttpResponse<String> right = post("/oauth/login", Map.of("request", request, "username", "bob", "password", PASSWORD), null);
        assertThat(right.statusCode()).isEqualTo(429);
        assertThat(right.headers().allValues("Set-Cookie")).isEmpty();
    }

    // ---------------------------------------------------------------- SEC10-13 open redirector, registration setting

    @Test
    @Tag("SEC10-13")
    void an_authorize_error_for_a_dynamically_registered_client_is_a_page_not_a_redirect() throws Exception {
        String attacker = register(ATTACKER_REDIRECT);
        String alice = signedInSession("alice");

        for (String session : new String[] {null, alice}) {
            HttpResponse<String> response = authorize(authorizeParams(attacker, ATTACKER_REDIRECT, "response_type", "token"), session);

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.headers().firstValue("Location")).isEmpty();
            assertThat(response.body()).contains("Request refused", "unsupported_response_type").doesNotContain("attacker.example");
        }
    }

    @Test
    @Tag("SEC10-13")
    void an_authorize_error_for_a_metadata_document_client_is_a_page_not_a_redirect() throws Exception {
        String documentClient = "http://127.0.0.1:" + documents.getAddress().getPort() + "/client.json";

        HttpResponse<String> response = authorize(authorizeParams(documentClient, ATTACKER_REDIRECT, "code_challenge", null), null);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(response.body()).contains("Request refused", "invalid_request");
    }

    @Test
    @Tag("SEC10-13")
    void a_pre_registered_client_keeps_its_rfc_6749_error_redirect() throws Exception {
        HttpResponse<String> response = authorize(authorizeParams("operator-app", LOOPBACK_REDIRECT, "response_type", "token"), null);

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location").orElseThrow())
                .startsWith(LOOPBACK_REDIRECT + "?error=unsupported_response_type").contains("state=s1", "iss=");
    }

    @Test
    @Tag("SEC10-13")
    void a_self_registered_client_the_user_approved_gets_its_error_redirect() throws Exception {
        String client = register(LOOPBACK_REDIRECT);
        String alice = signedInSession("alice", client);

        HttpResponse<String> response = authorize(authorizeParams(client, LOOPBACK_REDIRECT, "response_type", "token"), alice);

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location").orElseThrow()).startsWith(LOOPBACK_REDIRECT + "?error=unsupported_response_type");
    }

    @Test
    @Tag("SEC10-13")
    void registration_token_mode_refuses_registration_without_the_token() throws Exception {
        try (RunningGatehouse closed = RunningGatehouse.start("auth", "embedded", "demo-password", PASSWORD, "registration", "token",
                "registration-token", "initial-access-token-for-tests", "data-dir",
                Files.createTempDirectory("gatehouse-registration-token").toString())) {
            URI registration = URI.create("http://localhost:" + closed.gatehouse.port() + "/oauth/register");

            HttpResponse<String> anonymous = HTTP.send(registrationRequest(registration).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> withToken = HTTP.send(registrationRequest(registration)
                    .header("Authorization", "Bearer initial-access-token-for-tests").build(), HttpResponse.BodyHandlers.ofString());

            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.body()).doesNotContain("client_id");
            assertThat(withToken.statusCode()).isEqualTo(201);
        }
    }

    @Test
    @Tag("SEC10-13")
    void registration_token_without_a_registration_token_stops_the_server_naming_both_settings() {
        assertThatThrownBy(() -> RunningGatehouse.start("auth", "embedded", "demo-password", PASSWORD, "registration", "token",
                "data-dir", Files.createTempDirectory("gatehouse-registration-token").toString()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'registration'").hasMessageContaining("registration-token");
    }

    // ---------------------------------------------------------------- helpers

    /** Registers a public client with one redirect URI; answers its client id. */
    static String register(String redirectUri) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(base.resolve("/oauth/register"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
                        {"client_name":"Attack test client","redirect_uris":["%s"],"grant_types":["authorization_code"],
                         "token_endpoint_auth_method":"none"}""".formatted(redirectUri))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body()).path("client_id").asString();
    }

    static HttpRequest.Builder registrationRequest(URI registration) {
        return HttpRequest.newBuilder(registration).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                "{\"client_name\":\"x\",\"redirect_uris\":[\"" + LOOPBACK_REDIRECT + "\"],\"token_endpoint_auth_method\":\"none\"}"));
    }

    /** A session cookie of {@code username}, signed in through a client of its own that they approved. */
    static String signedInSession(String username) throws Exception {
        return signedInSession(username, register(LOOPBACK_REDIRECT));
    }

    /** A session cookie of {@code username}, who signed in and approved {@code clientId}. */
    static String signedInSession(String username, String clientId) throws Exception {
        HttpResponse<String> loginPage = authorize(authorizeParams(clientId, LOOPBACK_REDIRECT), null);
        HttpResponse<String> consentPage = post("/oauth/login", Map.of("request", hidden(loginPage, "request"),
                "username", username, "password", PASSWORD), null);
        assertThat(consentPage.statusCode()).as(consentPage.body()).isEqualTo(200);
        String session = consentPage.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("gatehouse_session="))
                .map(c -> c.split(";", 2)[0]).findFirst().orElseThrow();
        HttpResponse<String> done = post("/oauth/consent", Map.of("request", hidden(consentPage, "request"),
                "csrf", hidden(consentPage, "csrf"), "decision", "approve"), session);
        assertThat(done.headers().firstValue("Location").orElseThrow()).contains("code=");
        return session;
    }

    /** Code flow parameters with PKCE and state {@code s1}, changed by name/value overrides (null removes). */
    static Map<String, String> authorizeParams(String clientId, String redirectUri, String... overrides) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", clientId);
        params.put("redirect_uri", redirectUri);
        params.put("scope", "mcp:read");
        params.put("state", "s1");
        params.put("code_challenge", CHALLENGE);
        params.put("code_challenge_method", "S256");
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1] == null) {
                params.remove(overrides[i]);
            } else {
                params.put(overrides[i], overrides[i + 1]);
            }
        }
        return params;
    }

    static HttpResponse<String> authorize(Map<String, String> params, String sessionCookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/oauth/authorize?" + OAuthTestDriver.form(params))).GET();
        Optional.ofNullable(sessionCookie).ifPresent(c -> request.header("Cookie", c));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, Map<String, String> form, String sessionCookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", base.toString())
                .POST(HttpRequest.BodyPublishers.ofString(OAuthTestDriver.form(form)));
        Optional.ofNullable(sessionCookie).ifPresent(c -> request.header("Cookie", c));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String hidden(HttpResponse<String> page, String name) {
        Matcher m = HIDDEN.matcher(page.body());
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return m.group(2);
            }
        }
        throw new AssertionError("no hidden field " + name + " in " + page.statusCode() + " " + page.body());
    }
}
