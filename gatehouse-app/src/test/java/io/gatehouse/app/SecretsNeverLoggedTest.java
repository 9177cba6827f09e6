package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import io.gatehouse.testkit.McpTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Everything Gatehouse logs during a whole embedded OAuth flow, at DEBUG for Gatehouse's own loggers, says what
 * happened but never carries a secret: no password (right or wrong), client secret, authorization code, PKCE
 * verifier, access or refresh token, session cookie or CSRF token; neither in the events nor in the lines the
 * console writes, in both log formats ({@code log-format text} and {@code json}).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("hardening")
class SecretsNeverLoggedTest {

    static final String PASSWORD = "demo-pw-Zq81-never-logged";
    static final String WRONG_PASSWORD = "wrong-password-123";
    static final String BACKEND_SECRET = "backend-secret-Vx93-never-logged";
    static final String REDIRECT = "http://127.0.0.1:4321/callback";
    static final String VERIFIER = "secrets-test-verifier-0123456789-abcdefghijklmnopqrstuv";
    static final List<String> GATEHOUSE_LOGGERS = List.of("io.gatehouse", "gatehouse");

    final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    final Map<String, Level> levelsBefore = new LinkedHashMap<>();
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void capture() {
        captured.start();
        root.addAppender(captured);
        for (String name : GATEHOUSE_LOGGERS) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            levelsBefore.put(name, logger.getLevel());
            logger.setLevel(Level.DEBUG);
        }
    }

    @AfterEach
    void release() {
        root.detachAppender(captured);
        captured.stop();
        levelsBefore.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
    }

    @ParameterizedTest(name = "log-format {0}")
    @ValueSource(strings = {"text", "json"})
    void a_whole_oauth_flow_logs_what_happened_and_no_secret(String logFormat) throws Exception {
        List<String> secrets = new ArrayList<>(List.of(PASSWORD, WRONG_PASSWORD, VERIFIER));
        Path dir = Files.createTempDirectory("gatehouse-secrets");
        Path config = Files.writeString(dir.resolve("gatehouse.yaml"), """
                clients:
                  - client-id: backend
                    grant-types: [client_credentials]
                    token-endpoint-auth-method: client_secret_basic
                    client-secret-env: BACKEND_SECRET
                    scopes: [mcp:read]
                """);
        String written;
        try (RunningGatehouse gatehouse = RunningGatehouse.start(Map.of("BACKEND_SECRET", BACKEND_SECRET), "auth", "embedded",
                "demo-password", PASSWORD, "data-dir", dir.toString(), "config", config.toString(), "log-format", logFormat);
             CapturedLog console = new CapturedLog()) {
            URI base = URI.create("http://localhost:" + gatehouse.gatehouse.port());
            OAuthTestDriver driver = new OAuthTestDriver(base);
            String clientId = driver.register(REDIRECT).path("client_id").asString();

            // the browser: a wrong password first, then the right one, then consent
            HttpResponse<String> loginPage = driver.authorize(clientId, REDIRECT, VERIFIER, "mcp:read mcp:tools");
            assertThat(loginPage.statusCode()).as(loginPage.body()).isEqualTo(200);
            HttpResponse<String> failed = post(base, "/oauth/login", Map.of("request", field(loginPage.body(), "request"),
                    "username", "alice", "password", WRONG_PASSWORD), Map.of());
            assertThat(failed.statusCode()).isEqualTo(401);
            HttpResponse<String> consentPage = post(base, "/oauth/login", Map.of("request", field(failed.body(), "request"),
                    "username", "alice", "password", PASSWORD), Map.of());
            assertThat(consentPage.statusCode()).as(consentPage.body()).isEqualTo(200);
            String session = cookie(consentPage, "gatehouse_session");
            String csrf = field(consentPage.body(), "csrf");
            HttpResponse<String> approved = post(base, "/oauth/consent", Map.of("request", field(consentPage.body(), "request"),
                    "csrf", csrf, "decision", "approve"), Map.of("Cookie", "gatehouse_session=" + session));
            assertThat(approved.statusCode()).as(approved.body()).isEqualTo(302);
            String code = OAuthTestDriver.param(URI.create(approved.headers().firstValue("Location").orElseThrow()), "code");
            secrets.addAll(List.of(session, csrf, code));

            // the client: code for tokens, then a refresh
            JsonNode tokens = driver.token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT,
                    "client_id", clientId, "code_verifier", VERIFIER));
            String accessToken = tokens.path("access_token").asString();
            String refreshToken = tokens.path("refresh_token").asString();
            JsonNode refreshed = driver.token(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", clientId));
            String refreshedAccessToken = refreshed.path("access_token").asString();
            String rotatedRefreshToken = refreshed.path("refresh_token").asString();
            secrets.addAll(List.of(accessToken, refreshToken, refreshedAccessToken, rotatedRefreshToken));

            // a confidential backend the operator configured: client_credentials with HTTP Basic
            String backendId = "backend";
            String backendSecret = BACKEND_SECRET;
            String basic = Base64.getEncoder().encodeToString((backendId + ":" + backendSecret).getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> wrongSecret = post(base, "/oauth/token", Map.of("grant_type", "client_credentials", "scope", "mcp:read"),
                    Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString((backendId + ":not-" + backendSecret)
                            .getBytes(StandardCharsets.UTF_8))));
            assertThat(wrongSecret.statusCode()).isEqualTo(401);
            HttpResponse<String> credentials = post(base, "/oauth/token", Map.of("grant_type", "client_credentials", "scope", "mcp:read"),
                    Map.of("Authorization", "Basic " + basic));
            assertThat(credentials.statusCode()).as(credentials.body()).isEqualTo(200);
            String backendToken = OAuthTestDriver.JSON.readTree(credentials.body()).path("access_token").asString();
            secrets.addAll(List.of(backendSecret, basic, backendToken));

            // the MCP endpoint: alice's token, the backend's token, and a forged one
            McpTestClient mcp = gatehouse.client().header("Authorization", "Bearer " + refreshedAccessToken).initialize();
            assertThat(mcp.call("tools/call", Map.of("name", "whoami")).result().path("structuredContent").path("username").asString())
                    .isEqualTo("alice");
            gatehouse.client().header("Authorization", "Bearer " + backendToken).initialize();
            assertThat(gatehouse.client().header("Authorization", "Bearer " + accessToken + "x")
                    .call("initialize", Map.of()).status()).isEqualTo(401);
            written = console.text();
        }

        String log = capturedText();
        assertThat(secrets).allSatisfy(secret -> assertThat(secret).hasSizeGreaterThanOrEqualTo(8));
        for (String secret : secrets) {
            assertThat(log).as("the log must not contain a secret").doesNotContain(secret);
        }
        assertThat(log).contains("Failed login for user alice", "User alice logged in", "Issued an access token",
                "allowed sub=alice", "invalid token");

        // the lines as the console writes them, in this format: the same story, no secret, in their encoding too
        assertThat(written).contains("Failed login for user alice", "allowed sub=alice", "invalid token");
        for (String secret : secrets) {
            assertThat(written).as("the console must not show a secret").doesNotContain(secret);
        }
        if (logFormat.equals("json")) {
            assertThat(written.lines()).allSatisfy(line -> assertThat(OAuthTestDriver.JSON.readTree(line).path("message").isString())
                    .as(line).isTrue());
            assertThat(written.lines().filter(line -> line.contains("\"allowed sub=alice"))).isNotEmpty()
                    .allSatisfy(line -> assertThat(OAuthTestDriver.JSON.readTree(line).path("request_id").asString()).matches("[0-9a-f]{32}"));
        } else {
            assertThat(written.lines().filter(line -> line.contains(" - allowed sub=alice"))).isNotEmpty()
                    .allSatisfy(line -> assertThat(line).containsPattern(" req=[0-9a-f]{32} - "));
        }
    }

    private String capturedText() {
        StringBuilder text = new StringBuilder();
        for (ILoggingEvent event : List.copyOf(captured.list)) {
            text.append(event.getLoggerName()).append(' ').append(event.getFormattedMessage()).append('\n');
            event.getMDCPropertyMap().forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                text.append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
                for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
                    text.append(frame.getSTEAsString()).append('\n');
                }
            }
        }
        return text.toString();
    }

    private HttpResponse<String> post(URI base, String path, Map<String, String> form, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", base.toString().replaceAll("/$", ""))
                .POST(HttpRequest.BodyPublishers.ofString(OAuthTestDriver.form(form)));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String field(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
        assertThat(m.find()).as("a %s field in %s", name, html).isTrue();
        return m.group(1).replace("&amp;", "&");
    }

    private static String cookie(HttpResponse<?> response, String name) {
        List<String> values = response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(name.length() + 1).split(";", 2)[0]).collect(Collectors.toList());
        assertThat(values).as("a %s cookie", name).hasSize(1);
        return values.get(0);
    }
}
