package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.gatehouse.testkit.McpTestClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 10's attacks on the token, registration, introspection and revocation endpoints of a running
 * {@code gatehouse serve --auth embedded}, over HTTP, as an outsider would send them: a machine identity from open
 * registration or a metadata document, scopes the operator never gave, introspection by any client, input that
 * used to give 500s or be echoed, a token request with two client authentications, a resource in another
 * spelling, and a code redeemed without the redirect URI its authorization request left out.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("attack")
class TokenGrantAttackTest {

    static final String PASSWORD = "token-attack-demo-password";
    static final String MACHINE_SECRET = "nightly-report-secret-0123456789";
    static final String RS_SECRET = "billing-api-secret-0123456789";
    static final String REDIRECT = "http://127.0.0.1:4377/callback";
    static final String VERIFIER = "token-grant-attack-verifier-0123456789-abcdefghij";

    static RunningGatehouse gatehouse;
    static HttpServer documents;
    static URI base;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("gatehouse-token-attacks");
        Path config = Files.writeString(dir.resolve("gatehouse.yaml"), """
                clients:
                  - client-id: nightly-report
                    grant-types: [client_credentials]
                    token-endpoint-auth-method: client_secret_basic
                    client-secret-env: NIGHTLY_SECRET
                    scopes: [mcp:read]
                  - client-id: scopeless-machine
                    grant-types: [client_credentials]
                    token-endpoint-auth-method: client_secret_basic
                    client-secret-env: NIGHTLY_SECRET
                    scopes: []
                  - client-id: billing-api
                    grant-types: []
                    token-endpoint-auth-method: client_secret_basic
                    client-secret-env: BILLING_SECRET
                    introspection: true
                """);
        gatehouse = RunningGatehouse.start(Map.of("NIGHTLY_SECRET", MACHINE_SECRET, "BILLING_SECRET", RS_SECRET),
                "auth", "embedded", "config", config.toString(), "data-dir", dir.toString(), "demo-password", PASSWORD,
                "client-metadata-on-loopback", "true");
        base = URI.create("http://localhost:" + gatehouse.gatehouse.port());
        documents = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        documents.start();
    }

    @AfterAll
    static void stop() throws Exception {
        documents.stop(0);
        gatehouse.close();
    }

    // ------------------------------------------------------------------ SEC10-1

    @Test
    @Tag("SEC10-1")
    void open_registration_gives_no_machine_identity_and_so_no_way_to_call_tools() throws Exception {
        HttpResponse<String> machine = register("""
                {"client_name":"Attacker","redirect_uris":["https://attacker.example/cb"],"grant_types":["client_credentials"],
                 "token_endpoint_auth_method":"client_secret_basic","scope":"mcp:read mcp:tools mcp:prompts"}""");
        JsonNode confidential = json(register("""
                {"client_name":"Attacker","redirect_uris":["https://attacker.example/cb"],
                 "token_endpoint_auth_method":"client_secret_basic"}"""));
        HttpResponse<String> token = post("/oauth/token", Map.of("grant_type", "client_credentials", "scope", "mcp:read mcp:tools mcp:prompts"),
                basic(confidential.path("client_id").asString(), confidential.path("client_secret").asString()));

        assertThat(machine.statusCode()).isEqualTo(400);
        assertThat(json(machine).path("error").asString()).isEqualTo("invalid_client_metadata");
        assertThat(json(machine).has("client_secret")).isFalse();
        assertThat(token.statusCode()).isEqualTo(400);
        assertThat(json(token).path("error").asString()).isEqualTo("unauthorized_client");
        assertThat(json(token).has("access_token")).isFalse();
        assertThat(gatehouse.client().call("tools/call", Map.of("name", "echo", "arguments", Map.of("message", "x"))).status())
                .isEqualTo(401);
    }

    @Test
    @Tag("SEC10-1")
    void a_client_metadata_document_gives_no_machine_identity() throws Exception {
        String machine = serveDocument("/machine.json", "[\"authorization_code\",\"client_credentials\"]");
        String app = serveDocument("/app.json", "[\"authorization_code\"]");

        HttpResponse<String> machineSignIn = new OAuthTestDriver(base).authorize(authorizeParams(machine, REDIRECT, "mcp:read"));
        HttpResponse<String> appSignIn = new OAuthTestDriver(base).authorize(authorizeParams(app, REDIRECT, "mcp:read"));

        assertThat(machineSignIn.statusCode()).as("a document asking for client_credentials is refused").isEqualTo(400);
        assertThat(machineSignIn.body()).contains("Unknown application");
        assertThat(appSignIn.statusCode()).as("a document for a user-facing app is accepted").isEqualTo(200);
        for (String clientId : List.of(machine, app)) {
            HttpResponse<String> token = post("/oauth/token", Map.of("grant_type", "client_credentials", "client_id", clientId), Map.of());

            assertThat(token.statusCode()).isEqualTo(401);
            assertThat(json(token).path("error").asString()).isEqualTo("invalid_client");
            assertThat(json(token).has("access_token")).isFalse();
        }
    }

    @Test
    @Tag("SEC10-1")
    void a_configured_machine_gets_only_the_scopes_the_operator_gave_it() throws Exception {
        Map<String, String> auth = basic("nightly-report", MACHINE_SECRET);

        JsonNode granted = json(post("/oauth/token", Map.of("grant_type", "client_credentials"), auth));
        HttpResponse<String> wider = post("/oauth/token", Map.of("grant_type", "client_credentials", "scope", "mcp:read mcp:tools"), auth);
        McpTestClient mcp = gatehouse.client().header("Authorization", "Bearer " + granted.path("access_token").asString()).initialize();

        assertThat(granted.path("scope").asString()).isEqualTo("mcp:read");
        assertThat(wider.statusCode()).isEqualTo(400);
        assertThat(json(wider).path("error").asString()).isEqualTo("invalid_scope");
        assertThat(json(wider).has("access_token")).isFalse();
        assertThat(mcp.call("tools/list", Map.of()).status()).isEqualTo(200);
        assertThat(mcp.call("tools/call", Map.of("name", "echo", "arguments", Map.of("message", "x"))).status()).isEqualTo(403);
    }

    @Test
    @Tag("SEC10-1")
    void a_configured_machine_given_no_scopes_gets_no_token_rather_than_every_scope() throws Exception {
        for (Map<String, String> form : List.of(Map.of("grant_type", "client_credentials"),
                Map.of("grant_type", "client_credentials", "scope", "mcp:read mcp:tools mcp:prompts"))) {
            HttpResponse<String> response = post("/oauth/token", form, basic("scopeless-machine", MACHINE_SECRET));

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(json(response).path("error").asString()).isEqualTo("invalid_scope");
            assertThat(json(response).has("access_token")).isFalse();
        }
    }

    // ------------------------------------------------------------------ SEC10-7

    @Test
    @Tag("SEC10-7")
    void only_the_configured_resource_server_may_introspect() throws Exception {
        String token = json(post("/oauth/token", Map.of("grant_type", "client_credentials"), basic("nightly-report", MACHINE_SECRET)))
                .path("access_token").asString();
        JsonNode selfRegistered = json(register("""
                {"client_name":"Curious","redirect_uris":["https://curious.example/cb"],"token_endpoint_auth_method":"client_secret_basic"}"""));

        HttpResponse<String> anonymous = post("/oauth/introspect", Map.of("token", token), Map.of());
        HttpResponse<String> stranger = post("/oauth/introspect", Map.of("token", token),
                basic(selfRegistered.path("client_id").asString(), selfRegistered.path("client_secret").asString()));
        HttpResponse<String> machine = post("/oauth/introspect", Map.of("token", token), basic("nightly-report", MACHINE_SECRET));
        HttpResponse<String> resourceServer = post("/oauth/introspect", Map.of("token", token), basic("billing-api", RS_SECRET));

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(json(anonymous).path("error").asString()).isEqualTo("invalid_client");
        for (HttpResponse<String> refused : List.of(stranger, machine)) {
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(json(refused).path("error").asString()).isEqualTo("unauthorized_client");
            assertThat(refused.body()).doesNotContain("active", "nightly-report", "mcp:read");
        }
        assertThat(resourceServer.statusCode()).isEqualTo(200);
        assertThat(json(resourceServer).path("active").asBoolean()).isTrue();
        assertThat(json(resourceServer).path("client_id").asString()).isEqualTo("nightly-report");
    }

    @Test
    @Tag("SEC10-7")
    void a_client_cannot_revoke_another_clients_tokens() throws Exception {
        JsonNode victim = userTokens(registerPublic(REDIRECT), "alice");
        String attacker = registerPublic(REDIRECT);

        HttpResponse<String> revocation = post("/oauth/revoke", Map.of("token", victim.path("refresh_token").asString(),
                "client_id", attacker), Map.of());
        HttpResponse<String> accessRevocation = post("/oauth/revoke", Map.of("token", victim.path("access_token").asString(),
                "client_id", attacker), Map.of());

        assertThat(revocation.statusCode()).isEqualTo(200);
        assertThat(accessRevocation.statusCode()).isEqualTo(200);
        McpTestClient mcp = gatehouse.client().header("Authorization", "Bearer " + victim.path("access_token").asString()).initialize();
        assertThat(mcp.call("tools/call", Map.of("name", "whoami")).status()).isEqualTo(200);
        assertThat(json(post("/oauth/token", Map.of("grant_type", "refresh_token", "refresh_token", victim.path("refresh_token").asString(),
                "client_id", victim.path("client_id").asString()), Map.of())).has("access_token")).isTrue();
    }

    // ------------------------------------------------------------------ SEC10-8

    @Test
    @Tag("SEC10-8")
    void registration_input_with_control_or_non_ascii_characters_is_a_400_that_echoes_nothing() throws Exception {
        List<String> bodies = List.of(
                "{\"client_name\":\"evil\\u000d\\u000aINFO forged\",\"redirect_uris\":[\"https://app.example/cb\"]}",
                "{\"client_name\":\"evil \\u202egnp.exe\",\"redirect_uris\":[\"https://app.example/cb\"]}",
                "{\"redirect_uris\":[\"https://app.example/cb/\\u00e9vil\"]}",
                "{\"redirect_uris\":[\"https://app.example/cb\\u0000evil\"]}",
                "{\"redirect_uris\":[\"https://app.example/cb\\\"evil\"]}",
                "{\"redirect_uris\":[\"https://app.example/" + "e".repeat(2000) + "\"]}");

        for (String body : bodies) {
            HttpResponse<String> response = register(body);

            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(json(response).path("error").asString()).isIn("invalid_client_metadata", "invalid_redirect_uri");
            assertThat(response.body()).doesNotContain("evil", "eeeeeeeeee", "app.example");
        }
    }

    @Test
    @Tag("SEC10-8")
    void a_redirect_uri_longer_than_the_database_keeps_is_refused_before_the_user_consents() throws Exception {
        String registered = "http://127.0.0.1/" + "p".repeat(2000 - "http://127.0.0.1/".length());
        String clientId = registerPublic(registered);
        String requested = registered.replace("127.0.0.1/", "127.0.0.1:65535/");

        HttpResponse<String> page = new OAuthTestDriver(base).authorize(authorizeParams(clientId, requested, ""));

        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.headers().firstValue("Location")).isEmpty();
        assertThat(page.body()).doesNotContain("pppppppppp");
    }

    @Test
    @Tag("SEC10-8")
    void malformed_token_requests_are_a_400_that_echoes_nothing() throws Exception {
        List<String> forms = List.of("grant_type=client_credentials&resource=http%3A%2F%2Flocalhost%2Fmcp%22evil%C3%A9%0A",
                "grant_type=client_credentials&%22evil%0A%22=1&%22evil%0A%22=2",
                "grant_type=urn%3Aevil%0D%0A&scope=mcp%3Aread",
                "grant_type=client_credentials&resource=https%3A%2F%2Fevil.example%2Fmcp%23hidden-part");

        for (String form : forms) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/oauth/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Authorization", basic("nightly-report", MACHINE_SECRET).get("Authorization"))
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(form).isEqualTo(400);
            assertThat(response.body()).doesNotContain("evil", "hidden-part", "access_token");
        }
    }

    @Test
    @Tag("SEC10-8")
    void introspection_and_revocation_without_a_token_are_400_not_500() throws Exception {
        for (String path : List.of("/oauth/introspect", "/oauth/revoke")) {
            HttpResponse<String> response = post(path, Map.of("token_type_hint", "access_token"), basic("billing-api", RS_SECRET));

            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(json(response).path("error").asString()).isEqualTo("invalid_request");
        }
    }

    @Test
    @Tag("SEC10-8")
    void the_authorization_error_page_does_not_repeat_a_parameter_name() throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(base.resolve("/oauth/authorize?client_id=x&evil%3Cb%3Ename=1&evil%3Cb%3Ename=2"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).doesNotContain("evil");
    }

    // ------------------------------------------------------------------ SEC10-11

    @Test
    @Tag("SEC10-11")
    void a_code_whose_authorization_request_had_no_redirect_uri_is_redeemed_without_one() throws Exception {
        String clientId = registerPublic(REDIRECT);
        OAuthTestDriver driver = new OAuthTestDriver(base);
        Map<String, String> params = authorizeParams(clientId, REDIRECT, "mcp:read");
        params.remove("redirect_uri");

        URI callback = driver.loginAndConsent(driver.authorize(params), "alice", PASSWORD);
        JsonNode tokens = driver.token(Map.of("grant_type", "authorization_code", "code", OAuthTestDriver.param(callback, "code"),
                "client_id", clientId, "code_verifier", VERIFIER));

        assertThat(callback.toString()).startsWith(REDIRECT + "?");
        assertThat(tokens.path("access_token").asString()).as(tokens.toString()).isNotBlank();
    }

    @Test
    @Tag("SEC10-11")
    void a_code_whose_authorization_request_named_the_redirect_uri_needs_it_at_the_token_endpoint() throws Exception {
        String clientId = registerPublic(REDIRECT);
        OAuthTestDriver driver = new OAuthTestDriver(base);

        URI callback = driver.loginAndConsent(driver.authorize(authorizeParams(clientId, REDIRECT, "mcp:read")), "alice", PASSWORD);
        JsonNode tokens = driver.token(Map.of("grant_type", "authorization_code", "code", OAuthTestDriver.param(callback, "code"),
                "client_id", clientId, "code_verifier", VERIFIER));

        assertThat(tokens.path("error").asString()).isEqualTo("invalid_grant");
        assertThat(tokens.has("access_token")).isFalse();
    }

    // ------------------------------------------------------------------ SEC10-13

    @Test
    @Tag("SEC10-13")
    void a_resource_in_upper_case_gives_a_token_the_mcp_endpoint_accepts() throws Exception {
        String resource = gatehouse.mcpUrl().toString().replace("http://localhost", "HTTP://LOCALHOST");
        String clientId = registerPublic(REDIRECT);
        OAuthTestDriver driver = new OAuthTestDriver(base);
        Map<String, String> params = authorizeParams(clientId, REDIRECT, "mcp:read mcp:tools");
        params.put("resource", resource);

        URI callback = driver.loginAndConsent(driver.authorize(params), "alice", PASSWORD);
        JsonNode tokens = driver.token(Map.of("grant_type", "authorization_code", "code", OAuthTestDriver.param(callback, "code"),
                "redirect_uri", REDIRECT, "client_id", clientId, "code_verifier", VERIFIER, "resource", resource));
        JsonNode machine = json(post("/oauth/token", Map.of("grant_type", "client_credentials", "resource", resource),
                basic("nightly-report", MACHINE_SECRET)));

        McpTestClient mcp = gatehouse.client().header("Authorization", "Bearer " + tokens.path("access_token").asString()).initialize();
        assertThat(mcp.call("tools/call", Map.of("name", "whoami")).result().path("structuredContent").path("username").asString())
                .isEqualTo("alice");
        assertThat(gatehouse.client().header("Authorization", "Bearer " + machine.path("access_token").asString()).initialize()
                .call("tools/list", Map.of()).status()).isEqualTo(200);
    }

    @Test
    @Tag("SEC10-13")
    void two_client_authentication_methods_in_one_request_are_refused_at_every_endpoint() throws Exception {
        Map<String, String> form = Map.of("grant_type", "client_credentials", "client_id", "nightly-report",
                "client_secret", "a-guess-that-would-be-ignored", "token", "some-token");

        for (String path : List.of("/oauth/token", "/oauth/introspect", "/oauth/revoke")) {
            HttpResponse<String> response = post(path, form, basic("nightly-report", MACHINE_SECRET));

            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(json(response).path("error").asString()).as(path).isEqualTo("invalid_request");
            assertThat(response.body()).doesNotContain("access_token", "active");
        }
    }

    // ------------------------------------------------------------------ helpers

    private JsonNode userTokens(String clientId, String username) throws Exception {
        OAuthTestDriver driver = new OAuthTestDriver(base);
        URI callback = driver.loginAndConsent(driver.authorize(clientId, REDIRECT, VERIFIER, "mcp:read mcp:tools"), username, PASSWORD);
        JsonNode tokens = driver.token(Map.of("grant_type", "authorization_code", "code", OAuthTestDriver.param(callback, "code"),
                "redirect_uri", REDIRECT, "client_id", clientId, "code_verifier", VERIFIER));
        return ((tools.jackson.databind.node.ObjectNode) tokens).put("client_id", clientId);
    }

    private static Map<String, String> authorizeParams(String clientId, String redirect, String scope) throws Exception {
        Map<String, String> params = new LinkedHashMap<>(Map.of("response_type", "code", "client_id", clientId, "redirect_uri", redirect,
                "code_challenge", OAuthTestDriver.challenge(VERIFIER), "code_challenge_method", "S256", "state", "s1"));
        if (!scope.isEmpty()) {
            params.put("scope", scope);
        }
        return params;
    }

    private String registerPublic(String redirect) throws Exception {
        HttpResponse<String> response = register("{\"client_name\":\"Attack test\",\"redirect_uris\":[\"" + redirect + "\"],"
                + "\"grant_types\":[\"authorization_code\",\"refresh_token\"],\"token_endpoint_auth_method\":\"none\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json(response).path("client_id").asString();
    }

    private String serveDocument(String path, String grantTypes) {
        String url = "http://127.0.0.1:" + documents.getAddress().getPort() + path;
        byte[] document = ("{\"client_id\":\"" + url + "\",\"client_name\":\"Document client\",\"redirect_uris\":[\"" + REDIRECT
                + "\"],\"grant_types\":" + grantTypes + ",\"token_endpoint_auth_method\":\"none\"}").getBytes(StandardCharsets.UTF_8);
        documents.createContext(path, exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, document.length);
            exchange.getResponseBody().write(document);
            exchange.close();
        });
        return url;
    }

    private HttpResponse<String> register(String json) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve("/oauth/register")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, Map<String, String> form, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(OAuthTestDriver.form(form)));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> basic(String id, String secret) {
        return Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode json(HttpResponse<String> response) {
        return OAuthTestDriver.JSON.readTree(response.body());
    }
}
