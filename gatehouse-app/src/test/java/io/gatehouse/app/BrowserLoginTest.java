package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.Chromium;
import io.gatehouse.testkit.ExternalProcess;
import io.gatehouse.testkit.NodeTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The login and consent pages in a real browser: Debian's Chromium (installed with apt-get when missing),
 * driven by {@code playwright-core} from npm through {@code src/test/node/browser-flow.mjs}. The script plays a
 * native client with a real loopback listener as its redirect URI: it signs in as alice, consents, lands on the
 * listener with code, state and iss, and exchanges the code for a token. On the way a page of another origin
 * tries to frame the consent page. A screenshot of each page is kept in {@code target/screenshots/browser-login}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("interop")
class BrowserLoginTest {

    static final String PASSWORD = "demo-password-for-browser-tests";
    static final Path SCREENSHOTS = Path.of("target/screenshots/browser-login");
    static RunningGatehouse gatehouse;
    static String issuer;
    static JsonNode seen;

    @BeforeAll
    static void run_the_browser_flow() throws Exception {
        Path chromium = Chromium.ensureInstalled();
        Path tools = NodeTools.install("playwright", List.of("playwright-core@1.65.1"));
        Path script = tools.resolve("browser-flow.mjs");
        Files.copy(Path.of("src/test/node/browser-flow.mjs"), script, StandardCopyOption.REPLACE_EXISTING);
        deleteRecursively(SCREENSHOTS);
        gatehouse = RunningGatehouse.start("auth", "embedded", "demo-password", PASSWORD,
                "data-dir", Files.createTempDirectory("gatehouse-browser").toString());
        issuer = "http://localhost:" + gatehouse.gatehouse.port();
        ExternalProcess.Outcome outcome = ExternalProcess.run(List.of(NodeTools.node22().toString(), script.toString(),
                        gatehouse.mcpUrl().toString(), "alice", PASSWORD, SCREENSHOTS.toAbsolutePath().toString(), chromium.toString()),
                tools, Map.of(), Duration.ofMinutes(3));
        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        String[] lines = outcome.output().strip().split("\n");
        seen = JsonMapper.builder().build().readTree(lines[lines.length - 1]);
    }

    @AfterAll
    static void stop() throws Exception {
        if (gatehouse != null) {
            gatehouse.close();
        }
    }

    @Test
    void the_authorization_url_shows_the_login_page_naming_the_client() {
        assertThat(seen.path("login").path("title").asString()).isEqualTo("Sign in to Gatehouse");
        assertThat(seen.path("login").path("path").asString()).isEqualTo("/oauth/authorize");
        assertThat(seen.path("login").path("text").asString()).contains("Browser test");
    }

    @Test
    void after_signing_in_the_consent_page_shows_the_client_the_scopes_and_the_loopback_redirect_host() {
        JsonNode consent = seen.path("consent");
        assertThat(consent.path("title").asString()).isEqualTo("Allow access?");
        assertThat(consent.path("text").asString()).contains("Signed in as alice", "Browser test", seen.path("clientId").asString());
        assertThat(consent.path("scopes").values()).extracting(JsonNode::asString).containsExactly("mcp:read", "mcp:tools");
        assertThat(consent.path("redirectHost").asString()).isEqualTo("127.0.0.1");
    }

    @Test
    void a_page_of_another_origin_cannot_frame_the_consent_page() {
        JsonNode framing = seen.path("framing");
        assertThat(framing.path("framerOrigin").asString()).startsWith("http://localhost:").isNotEqualTo(issuer);
        // The framed URL is the consent page for this signed-in browser (its session cookie went along) ...
        assertThat(framing.path("framedUrlServesConsentPageToThisBrowser").asBoolean()).isTrue();
        assertThat(framing.path("response").path("status").asInt()).isEqualTo(200);
        assertThat(framing.path("response").path("sentSessionCookie").asBoolean()).isTrue();
        // ... and Gatehouse forbade framing it ...
        assertThat(framing.path("response").path("xFrameOptions").asString()).isEqualTo("DENY");
        assertThat(framing.path("response").path("contentSecurityPolicy").asString()).contains("frame-ancestors 'none'");
        // ... so Chromium refused to render it: the frame holds no form, while an ordinary page frames fine.
        assertThat(framing.path("frameShowsConsentForm").asBoolean()).isFalse();
        assertThat(framing.path("frameShowsApproveButton").asBoolean()).isFalse();
        assertThat(framing.path("frameShowsLoginForm").asBoolean()).isFalse();
        assertThat(framing.path("frameUrl").asString()).doesNotContain("/oauth/");
        assertThat(framing.path("refusals").values()).extracting(JsonNode::asString)
                .anySatisfy(message -> assertThat(message).contains("frame-ancestors 'none'").contains("blocked"));
        assertThat(framing.path("controlFrameText").asString()).isEqualTo("This page can be framed.");
    }

    @Test
    void approving_lands_on_the_clients_loopback_redirect_with_code_state_and_iss() {
        JsonNode callback = seen.path("callback");
        assertThat(seen.path("redirectUri").asString()).matches("http://127\\.0\\.0\\.1:\\d+/callback");
        assertThat(seen.path("landing").path("url").asString()).startsWith(seen.path("redirectUri").asString() + "?");
        assertThat(callback.path("hasCode").asBoolean()).isTrue();
        assertThat(callback.path("stateMatches").asBoolean()).isTrue();
        assertThat(callback.path("iss").asString()).isEqualTo(issuer);
        assertThat(callback.has("error")).isFalse();
    }

    @Test
    void the_code_buys_a_token_with_the_consented_scopes() {
        JsonNode token = seen.path("token");
        assertThat(token.path("status").asInt()).isEqualTo(200);
        assertThat(token.path("hasAccessToken").asBoolean()).isTrue();
        assertThat(token.path("tokenType").asString()).isEqualToIgnoringCase("Bearer");
        assertThat(token.path("scope").asString().split(" ")).containsExactlyInAnyOrder("mcp:read", "mcp:tools");
    }

    @Test
    void a_screenshot_of_each_page_is_saved_as_a_test_artifact() throws Exception {
        for (String name : List.of("login.png", "consent.png", "framing.png", "callback.png")) {
            Path png = SCREENSHOTS.resolve(name);
            assertThat(png).as(name).exists();
            assertThat(Files.size(png)).as(name).isGreaterThan(5_000);
            byte[] header = new byte[8];
            try (var in = Files.newInputStream(png)) {
                assertThat(in.read(header)).isEqualTo(8);
            }
            assertThat(header).as(name).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        }
    }

    private static void deleteRecursively(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
