package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.Chromium;
import io.gatehouse.testkit.ExternalProcess;
import io.gatehouse.testkit.NodeTools;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 18 with a real Keycloak 26.5 as the company's identity provider: {@code keycloak/company-realm.json}, set up
 * as companies set up their provider (no anonymous dynamic registration, RFC 8707 off, one confidential client for
 * Gatehouse). {@code gatehouse idp-check} measures the realm and prints the {@code login:} section this Gatehouse then
 * runs with. MCP clients register at Gatehouse; users sign in on Keycloak's login page and consent at Gatehouse:
 * the TypeScript SDK (headless), Chromium (screenshots of both pages), a user without the role (refused), and a
 * user disabled in Keycloak after signing in (refresh refused once the upstream check runs). One Keycloak, one
 * Gatehouse for the class.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("keycloak")
@Tag("issue-18")
class FederatedLoginKeycloakTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Path REALM_FILE = Path.of("../keycloak/company-realm.json").toAbsolutePath().normalize();
    static final Path SCREENSHOTS = Path.of("target/federated-login-screenshots");
    /** The secret of the client gatehouse in company-realm.json. */
    static final String CLIENT_SECRET = "gatehouse-login-secret";
    static final Duration CHECK_INTERVAL = Duration.ofSeconds(2);

    @TempDir
    static Path dir;
    static KeycloakServer keycloak;
    static RunningGatehouse gatehouse;
    static String upstream;
    static String issuer;
    static String mcpUrl;
    static JsonNode idpCheck;
    static int idpCheckExit;

    @BeforeAll
    static void start() throws Exception {
        int port = KeycloakServer.freePort();
        issuer = "http://localhost:" + port;
        mcpUrl = issuer + "/mcp";
        keycloak = KeycloakServer.start(mcpUrl, Map.of("KC_REALM_FILE", REALM_FILE.toString()));
        upstream = keycloak.url() + "/realms/company";

        // idp-check measures the realm and prints the login: section; Gatehouse runs with exactly that section, with
        // the client id filled in and a short upstream check interval for the disabled-user test
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(new StringWriter()));
        idpCheckExit = cli.execute("idp-check", upstream, "--register", "--json");
        idpCheck = JSON.readTree(out.toString());
        String section = idpCheck.path("recommendation").path("config").asString();
        assertThat(section).as(out.toString()).contains("login:");
        Path config = Files.writeString(dir.resolve("gatehouse.yaml"), section.replace("YOUR-CLIENT-ID", "gatehouse")
                .replace("login:\n", "login:\n  refresh-check-interval: " + CHECK_INTERVAL.toSeconds() + "s\n"));
        gatehouse = RunningGatehouse.start(Map.of("GATEHOUSE_LOGIN_CLIENT_SECRET", CLIENT_SECRET), "auth", "embedded",
                "port", String.valueOf(port), "data-dir", dir.resolve("data").toString(), "config", config.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (gatehouse != null) {
            gatehouse.close();
        }
        if (keycloak != null) {
            keycloak.close();
        }
    }

    @Test
    @Tag("issue-18-5")
    void idp_check_finds_the_company_realm_usable_only_with_the_bridge_and_names_federated_login() {
        assertThat(idpCheckExit).as(idpCheck.toString()).isEqualTo(3);
        assertThat(idpCheck.path("verdict").asString()).isEqualTo("usable_with_bridge");
        assertThat(result("dcr")).isEqualTo("no");
        assertThat(result("oidc")).isEqualTo("yes");
        assertThat(idpCheck.path("recommendation").path("provider").asString()).isEqualTo("Keycloak");
        assertThat(idpCheck.path("recommendation").path("roles-claim").asString()).isEqualTo("realm_access.roles");
    }

    @Test
    void the_realm_is_like_a_company_s_anonymous_registration_is_refused_and_resource_is_ignored() throws Exception {
        HttpResponse<String> registration = HTTP.send(HttpRequest.newBuilder(URI.create(upstream + "/clients-registrations/openid-connect"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
                        {"client_name":"anonymous","redirect_uris":["http://127.0.0.1:9999/callback"],"token_endpoint_auth_method":"none"}"""))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(registration.statusCode()).as(registration.body()).isEqualTo(403);
        JsonNode metadata = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(upstream + "/.well-known/openid-configuration")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        // Keycloak 26.5 without the experimental resource-indicators feature: no RFC 8707 at all
        assertThat(metadata.has("resource_indicators_supported")).isFalse();
        assertThat(metadata.path("issuer").asString()).isEqualTo(upstream);
    }

    @Test
    @Tag("AS-07")
    @Tag("AS-09")
    void the_typescript_sdk_registers_at_gatehouse_the_user_signs_in_at_keycloak_and_the_token_carries_keycloak_s_subject_and_roles()
            throws Exception {
        Path scripts = NodeTools.install("sdk", List.of("@modelcontextprotocol/sdk@1.32.2"));
        for (String script : List.of("browser-login.mjs", "sdk-login.mjs", "federated-browser.mjs", "sdk-federated-flow.mjs")) {
            Files.copy(Path.of("src/test/node", script), scripts.resolve(script), StandardCopyOption.REPLACE_EXISTING);
        }
        ExternalProcess.Outcome outcome = ExternalProcess.run(List.of(NodeTools.node22().toString(),
                scripts.resolve("sdk-federated-flow.mjs").toString(), mcpUrl, "alice", "alice-password"), scripts, Map.of(), Duration.ofMinutes(2));
        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        JsonNode seen = lastJsonLine(outcome.output());

        // registered at Gatehouse (Keycloak allows no anonymous registration), signed in on Keycloak's page, consent at Gatehouse
        assertThat(seen.path("clientId").asString()).isNotBlank();
        assertThat(seen.path("pages").findValuesAsString("page")).containsExactly("provider-login", "gatehouse-consent");
        assertThat(seen.path("pages").get(0).path("origin").asString()).isEqualTo(keycloak.url());
        assertThat(seen.path("pages").get(1).path("origin").asString()).isEqualTo(issuer);
        assertThat(seen.path("authorizationParams").path("resource").asString()).isEqualTo(mcpUrl);
        assertThat(seen.path("iss").asString()).isEqualTo(issuer);

        // Gatehouse's token: its issuer and audience, Keycloak's subject and roles
        String aliceId = keycloakUserId("alice");
        JsonNode claims = seen.path("claims");
        assertThat(claims.path("iss").asString()).isEqualTo(issuer);
        assertThat(claims.path("aud").toString()).contains(mcpUrl);
        assertThat(claims.path("sub").asString()).isEqualTo(aliceId);
        assertThat(claims.path("roles").toString()).contains("mcp-user");
        assertThat(seen.path("grantedScope").asString()).contains("mcp:read", "mcp:tools");
        assertThat(seen.path("hasRefreshToken").asBoolean()).isTrue();

        // and the tools work, for this caller
        assertThat(seen.path("tools").toString()).contains("echo", "whoami");
        assertThat(seen.path("echo").asString()).isEqualTo("Hello federatedHello federated");
        assertThat(seen.path("whoami").path("subject").asString()).isEqualTo(aliceId);
        assertThat(seen.path("whoami").path("username").asString()).isEqualTo("alice");
        assertThat(seen.path("whoami").path("roles").toString()).contains("mcp-user");
    }

    @Test
    @Tag("attack")
    void a_keycloak_user_without_the_role_signs_in_there_but_is_refused_at_gatehouse_with_access_denied() throws Exception {
        String redirect = "http://127.0.0.1:53999/callback";
        FederatedBrowser.Outcome outcome = signIn(redirect, "carol", "carol-password");

        // signed in at Keycloak, then refused at Gatehouse's callback: a self-registered client is not trusted with a
        // redirect carrying the error, so the browser gets the page that says why (and no consent page, no code)
        assertThat(outcome.pages()).containsExactly("provider-login " + keycloak.url());
        assertThat(outcome.reachedClient()).isFalse();
        assertThat(outcome.lastPage().statusCode()).isEqualTo(403);
        assertThat(outcome.lastPage().uri().getPath()).isEqualTo("/oauth/login/callback");
        assertThat(outcome.lastPage().body()).contains("Access denied", "no role that grants access").doesNotContain("consent-form");
    }

    @Test
    void in_chromium_the_user_sees_keycloak_s_login_page_then_gatehouse_s_consent_page() throws Exception {
        Path chromium = Chromium.ensureInstalled();
        Path tools = NodeTools.install("playwright", List.of("playwright-core@1.65.1"));
        Path script = tools.resolve("browser-federated-flow.mjs");
        Files.copy(Path.of("src/test/node/browser-federated-flow.mjs"), script, StandardCopyOption.REPLACE_EXISTING);
        ExternalProcess.Outcome outcome = ExternalProcess.run(List.of(NodeTools.node22().toString(), script.toString(), mcpUrl,
                "alice", "alice-password", SCREENSHOTS.toAbsolutePath().toString(), chromium.toString()), tools, Map.of(), Duration.ofMinutes(3));
        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        JsonNode seen = lastJsonLine(outcome.output());

        JsonNode login = seen.path("providerLogin");
        assertThat(login.path("origin").asString()).isEqualTo(keycloak.url());
        assertThat(login.path("path").asString()).startsWith("/realms/company/");
        assertThat(login.path("title").asString()).contains("Example Company");
        assertThat(login.path("text").asString()).containsIgnoringCase("sign in");

        JsonNode consent = seen.path("consent");
        assertThat(consent.path("origin").asString()).isEqualTo(issuer);
        assertThat(consent.path("title").asString()).isEqualTo("Allow access?");
        assertThat(consent.path("text").asString()).contains("alice", "Federated browser test");
        assertThat(consent.path("scopes").values()).extracting(JsonNode::asString).containsExactly("mcp:read", "mcp:tools");

        assertThat(seen.path("claims").path("sub").asString()).isEqualTo(keycloakUserId("alice"));
        for (String shot : List.of("keycloak-login.png", "consent.png")) {
            byte[] png = Files.readAllBytes(SCREENSHOTS.resolve(shot));
            assertThat(png).as(shot).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
            assertThat(png.length).as(shot).isGreaterThan(5_000);
        }
    }

    @Test
    @Tag("attack")
    void a_user_disabled_in_keycloak_can_no_longer_refresh_at_gatehouse_after_the_check_interval() throws Exception {
        String redirect = "http://127.0.0.1:53998/callback";
        OAuthTestDriver driver = new OAuthTestDriver(URI.create(issuer));
        String clientId = driver.register(redirect).path("client_id").asString();
        String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
        FederatedBrowser.Outcome outcome = new FederatedBrowser().signIn(authorizationUrl(clientId, redirect, verifier), redirect,
                "dave", "dave-password");
        assertThat(outcome.reachedClient()).as(outcome.pages() + " " + (outcome.lastPage() == null ? "" : outcome.lastPage().body())).isTrue();
        Instant signedIn = Instant.now();
        JsonNode tokens = driver.token(Map.of("grant_type", "authorization_code", "code", OAuthTestDriver.param(outcome.callback(), "code"),
                "redirect_uri", redirect, "client_id", clientId, "code_verifier", verifier));
        assertThat(tokens.path("refresh_token").asString()).as(tokens.toString()).isNotBlank();

        // while dave is enabled, refreshing keeps working, also once the interval has passed and Keycloak is asked
        do {
            tokens = refreshed(driver, tokens, clientId);
            assertThat(tokens.path("access_token").asString()).as(tokens.toString()).isNotBlank();
            Thread.sleep(300);
        } while (Instant.now().isBefore(signedIn.plus(CHECK_INTERVAL).plusSeconds(1)));

        setEnabled("dave", false);
        JsonNode answer = tokens;
        Instant deadline = Instant.now().plusSeconds(60);
        while (answer.has("access_token") && Instant.now().isBefore(deadline)) {
            tokens = answer;
            answer = refreshed(driver, tokens, clientId);
            Thread.sleep(300);
        }
        assertThat(answer.path("error").asString()).as(answer.toString()).isEqualTo("invalid_grant");
        // and the family stays revoked: the last refresh token Gatehouse issued is refused too
        assertThat(refreshed(driver, tokens, clientId).path("error").asString()).isEqualTo("invalid_grant");
    }

    private static JsonNode refreshed(OAuthTestDriver driver, JsonNode tokens, String clientId) throws Exception {
        return driver.token(OAuthTestDriver.refreshForm(tokens, clientId));
    }

    private static FederatedBrowser.Outcome signIn(String redirect, String username, String password) throws Exception {
        OAuthTestDriver driver = new OAuthTestDriver(URI.create(issuer));
        String clientId = driver.register(redirect).path("client_id").asString();
        return new FederatedBrowser().signIn(authorizationUrl(clientId, redirect, UUID.randomUUID() + "-" + UUID.randomUUID()), redirect,
                username, password);
    }

    private static URI authorizationUrl(String clientId, String redirect, String verifier) throws Exception {
        return URI.create(issuer + "/oauth/authorize?" + OAuthTestDriver.form(Map.of("response_type", "code", "client_id", clientId,
                "redirect_uri", redirect, "code_challenge", OAuthTestDriver.challenge(verifier), "code_challenge_method", "S256",
                "state", "state-" + UUID.randomUUID(), "scope", "mcp:read mcp:tools", "resource", mcpUrl)));
    }

    private static String adminToken() throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(keycloak.url() + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=admin-cli&username=admin&password=admin")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("access_token").asString();
    }

    private static String keycloakUserId(String username) throws Exception {
        JsonNode users = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(keycloak.url() + "/admin/realms/company/users?exact=true&username="
                + username)).header("Authorization", "Bearer " + adminToken()).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(users.size()).as(users.toString()).isEqualTo(1);
        return users.get(0).path("id").asString();
    }

    private static void setEnabled(String username, boolean enabled) throws Exception {
        HttpResponse<String> updated = HTTP.send(HttpRequest.newBuilder(URI.create(keycloak.url() + "/admin/realms/company/users/"
                        + keycloakUserId(username))).header("Authorization", "Bearer " + adminToken()).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"enabled\":" + enabled + "}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(204);
    }

    private static String result(String id) {
        for (JsonNode check : idpCheck.path("checks")) {
            if (check.path("id").asString().equals(id)) {
                return check.path("result").asString();
            }
        }
        throw new AssertionError("no check " + id + " in " + idpCheck);
    }

    private static JsonNode lastJsonLine(String output) {
        String[] lines = output.strip().split("\n");
        return JSON.readTree(lines[lines.length - 1]);
    }
}
