package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.server.internal.auth.LocalKeys;
import io.gatehouse.server.internal.auth.TokenMinter;
import io.gatehouse.testkit.McpReply;
import io.gatehouse.testkit.McpTestClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * RS-14 (no token passthrough) for the gateway, in every auth mode: a client calls a recording upstream through
 * Gatehouse with a real token of that mode (none: any string) in {@code Authorization} and a {@code Cookie}; the
 * upstream receives neither header, and the token and the cookie appear in none of its requests' headers or bodies.
 * The only credential it receives is the one the configuration gives Gatehouse for it ({@code credentials:} with
 * {@code value-env}, set for the test JVM in the module's surefire configuration).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("gateway")
@Tag("attack")
@Tag("RS-14")
class GatewayTokenIsolationTest {

    /** The value of GATEWAY_TEST_UPSTREAM_TOKEN (gatehouse-app/pom.xml). */
    static final String UPSTREAM_CREDENTIAL = "gateway-own-upstream-credential-0123456789";
    static final String DEMO_PASSWORD = "gateway-demo-password-for-tests";
    static final String REDIRECT = "http://127.0.0.1:4333/callback";
    static final String VERIFIER = "gateway-isolation-verifier-0123456789-abcdefghijkl";
    /** What a request from Gatehouse to an upstream may carry: the protocol's headers, the HTTP client's, the credential. */
    static final Set<String> UPSTREAM_HEADERS = Set.of("accept", "content-type", "content-length", "host", "user-agent",
            "mcp-session-id", "mcp-protocol-version", "authorization");

    enum AuthMode { NONE, LOCAL_KEYS, EMBEDDED, EXTERNAL }

    /** A gateway in one auth mode, and a token it accepts. */
    private record Gateway(RunningGatehouse server, String token, AutoCloseable issuer) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            server.close();
            issuer.close();
        }
    }

    @ParameterizedTest
    @EnumSource(AuthMode.class)
    void the_upstream_never_receives_the_clients_authorization_token_or_cookie_only_its_configured_credential(
            AuthMode mode, @TempDir Path data) throws Exception {
        String cookie = "gatehouse_browser=cookie-" + UUID.randomUUID();
        try (RecordingUpstream recorder = RecordingUpstream.start(); Gateway gateway = gateway(mode, recorder, data)) {
            McpTestClient client = McpTestClient.to(gateway.server().mcpUrl())
                    .header("Authorization", "Bearer " + gateway.token()).header("Cookie", cookie).initialize();
            JsonNode tools = client.call("tools/list", Map.of()).result().path("tools");
            assertThat(tools.valueStream().map(t -> t.path("name").asString())).containsExactly("echo");
            McpReply echo = client.call("tools/call", Map.of("name", "echo", "arguments", Map.of("text", "relayed")));
            assertThat(echo.result().path("content").path(0).path("text").asString()).as(echo.body()).isEqualTo("relayed");
            assertThat(client.notify("notifications/roots/list_changed", Map.of()).status()).isEqualTo(202);
            assertThat(recorder.await(r -> RecordingUpstream.jsonRpcMethod(r).equals("notifications/roots/list_changed"),
                    Duration.ofSeconds(10))).as("the client's roots/list_changed reaches its upstream session").isTrue();
            assertThat(client.delete().status()).isEqualTo(200);
            assertThat(recorder.awaitDelete(Duration.ofSeconds(10))).as("the upstream session is deleted").isTrue();

            List<RecordingUpstream.Recorded> seen = recorder.requests();
            assertThat(seen).extracting(RecordingUpstream.Recorded::method).contains("POST", "DELETE");
            assertThat(seen).extracting(RecordingUpstream::jsonRpcMethod).contains("initialize", "tools/list", "tools/call");
            for (RecordingUpstream.Recorded request : seen) {
                assertThat(request.headers().keySet()).as(request.method() + " " + request.body())
                        .allSatisfy(name -> assertThat(UPSTREAM_HEADERS).contains(name.toLowerCase(java.util.Locale.ROOT)));
                assertThat(request.headers()).doesNotContainKey("Cookie");
                assertThat(request.headers().get("Authorization")).containsExactly("Bearer " + UPSTREAM_CREDENTIAL);
                assertThat(request.headers().toString() + request.body()).doesNotContain(gateway.token())
                        .doesNotContain(cookie.substring(cookie.indexOf('=') + 1));
            }
        }
    }

    private static Gateway gateway(AuthMode mode, RecordingUpstream recorder, Path data) throws Exception {
        Path config = Files.writeString(data.resolve("gatehouse.yaml"), """
                upstreams:
                  - name: recorder
                    url: %s
                    credentials:
                      header: Authorization
                      prefix: "Bearer "
                      value-env: GATEWAY_TEST_UPSTREAM_TOKEN
                """.formatted(recorder.mcpUrl()));
        String dataDir = data.resolve("data").toString();
        return switch (mode) {
            case NONE -> new Gateway(RunningGatehouse.start("config", config.toString(), "data-dir", dataDir),
                    "client-token-" + UUID.randomUUID(), () -> { });
            case LOCAL_KEYS -> {
                RunningGatehouse server = RunningGatehouse.start("auth", "local-keys", "config", config.toString(),
                        "data-dir", dataDir);
                TokenMinter minter = new TokenMinter(LocalKeys.readPrivateKey(
                        Path.of(dataDir, "keys", LocalKeys.PRIVATE_KEY_FILE)));
                String token = minter.mint(new TokenMinter.Grant("user-alice", "alice", List.of("mcp:read", "mcp:tools"),
                        List.of("user")), "http://localhost:" + server.gatehouse.port(), List.of(server.mcpUrl().toString()),
                        Duration.ofMinutes(5), Instant.now());
                yield new Gateway(server, token, () -> { });
            }
            case EMBEDDED -> {
                RunningGatehouse server = RunningGatehouse.start("auth", "embedded", "demo-password", DEMO_PASSWORD,
                        "config", config.toString(), "data-dir", dataDir);
                yield new Gateway(server, embeddedToken(URI.create("http://localhost:" + server.gatehouse.port())), () -> { });
            }
            case EXTERNAL -> {
                JwksServer idp = new JwksServer();
                RunningGatehouse server = RunningGatehouse.start("auth", "external", "issuer", JwksServer.ISSUER,
                        "jwks-url", idp.jwksUrl(), "config", config.toString(), "data-dir", dataDir);
                yield new Gateway(server, idp.sign(JwksServer.claims(server.mcpUrl().toString()).build()), idp);
            }
        };
    }

    /** alice's access token from the embedded authorization server: register, log in, consent, exchange the code. */
    private static String embeddedToken(URI base) throws Exception {
        OAuthTestDriver browser = new OAuthTestDriver(base);
        String clientId = browser.register(REDIRECT).path("client_id").asString();
        URI callback = browser.loginAndConsent(browser.authorize(clientId, REDIRECT, VERIFIER, "mcp:read mcp:tools"),
                "alice", DEMO_PASSWORD);
        JsonNode tokens = browser.token(Map.of("grant_type", "authorization_code",
                "code", OAuthTestDriver.param(callback, "code"), "redirect_uri", REDIRECT, "client_id", clientId,
                "code_verifier", VERIFIER));
        String token = tokens.path("access_token").asString("");
        assertThat(token).as(tokens.toString()).isNotEmpty();
        return token;
    }
}
