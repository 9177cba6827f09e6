package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testkit.ExternalProcess;
import io.gatehouse.testkit.McpReply;
import io.gatehouse.testkit.McpTestClient;
import io.gatehouse.testkit.NodeTools;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Gatehouse as the MCP resource server for a real Keycloak (from Maven Central, started by
 * {@code keycloak/keycloak.sh} with the repository's realm), configured by an env file of the tutorial's
 * variables: the tutorial's test_step9 and test_step10 checks as behaviour, bad tokens, key rotation, and real
 * clients (the TypeScript SDK, the MCP Inspector CLI) logging in through Keycloak.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("keycloak")
class KeycloakTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static KeycloakServer keycloak;
    static RunningGatehouse gatehouse;
    static String mcpUrl;
    static Path scripts;

    @BeforeAll
    static void start() throws Exception {
        int port = KeycloakServer.freePort();
        mcpUrl = "http://localhost:" + port + "/mcp";
        keycloak = KeycloakServer.start(mcpUrl);
        Path env = Files.writeString(Files.createTempFile("keycloak", ".env"), """
                KEYCLOAK_URL=%s
                KEYCLOAK_REALM=mcp-realm
                MCP_SERVER_URL=http://localhost:%d
                JWT_AUDIENCE=%s
                GATEHOUSE_CLOCK_SKEW=0s
                """.formatted(keycloak.url(), port, mcpUrl));
        gatehouse = RunningGatehouse.start("env", env.toString(), "port", String.valueOf(port), "management-port", "0");
        scripts = NodeTools.install("sdk", List.of("@modelcontextprotocol/sdk@1.32.2"));
        for (String script : List.of("browser-login.mjs", "sdk-login.mjs", "sdk-oauth-flow.mjs")) {
            Files.copy(Path.of("src/test/node", script), scripts.resolve(script), StandardCopyOption.REPLACE_EXISTING);
        }
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

    static String passwordToken(String user, String password) throws Exception {
        return token(Map.of("grant_type", "password", "client_id", "mcp-test-client", "username", user, "password", password,
                "scope", "openid profile email mcp:read mcp:tools mcp:prompts")).path("access_token").asString();
    }

    static JsonNode token(Map<String, String> form) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(keycloak.issuer() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(OAuthTestDriver.form(form)))
                .build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    /** A token from the master realm: same Keycloak, another issuer. */
    static String adminToken() throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(keycloak.url() + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=admin-cli&username=admin&password=admin")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("access_token").asString();
    }

    static void setAccessTokenLifespan(int seconds) throws Exception {
        HttpResponse<String> updated = HTTP.send(HttpRequest.newBuilder(URI.create(keycloak.url() + "/admin/realms/mcp-realm"))
                .header("Authorization", "Bearer " + adminToken()).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"accessTokenLifespan\":" + seconds + "}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(204);
    }

    static JsonNode claims(String jwt) {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    static McpTestClient as(String token) {
        return gatehouse.client().header("Authorization", "Bearer " + token).initialize();
    }

    @Test
    void step9_password_grant_tokens_carry_the_gatehouse_audience_and_the_scopes_the_roles_allow() throws Exception {
        assertThat(claims(passwordToken("mcp-admin", "admin123")).path("scope").asString()).contains("mcp:read", "mcp:tools", "mcp:prompts");
        JsonNode user = claims(passwordToken("mcp-user", "user123"));
        // Gatehouse's own client is in aud too: Keycloak's standard token exchange requires it of a subject token
        assertThat(user.path("aud").valueStream().map(JsonNode::asString).toList()).containsExactlyInAnyOrder(mcpUrl, "gatehouse");
        assertThat(user.path("scope").asString()).contains("mcp:read", "mcp:tools").doesNotContain("mcp:prompts");
        assertThat(user.path("azp").asString()).isEqualTo("mcp-test-client");
        JsonNode readonly = claims(passwordToken("mcp-readonly", "readonly123"));
        assertThat(readonly.path("scope").asString()).contains("mcp:read").doesNotContain("mcp:tools", "mcp:prompts");
        assertThat(readonly.path("realm_access").path("roles").toString()).contains("mcp-readonly");
    }

    @Test
    @Tag("RS-11")
    void step10_tools_for_admin_and_user_prompts_for_admin_only_and_ping_for_all() throws Exception {
        McpTestClient admin = as(passwordToken("mcp-admin", "admin123"));
        McpTestClient user = as(passwordToken("mcp-user", "user123"));
        McpTestClient readonly = as(passwordToken("mcp-readonly", "readonly123"));
        for (McpTestClient client : List.of(admin, user, readonly)) {
            assertThat(client.call("ping", Map.of()).status()).isEqualTo(200);
        }
        Map<String, Object> echo = Map.of("name", "echo", "arguments", Map.of("message", "Hello from admin", "repeat_count", 2));
        assertThat(admin.call("tools/call", echo).result().path("content").get(0).path("text").asString()).isEqualTo("Hello from adminHello from admin");
        assertThat(user.call("tools/list", Map.of()).status()).isEqualTo(200);
        assertThat(user.call("tools/call", echo).status()).isEqualTo(200);
        assertThat(admin.call("prompts/get", Map.of("name", "echo_prompt", "arguments", Map.of("message", "Admin test"))).status()).isEqualTo(200);
        McpReply userPrompt = user.call("prompts/get", Map.of("name", "echo_prompt", "arguments", Map.of("message", "x")));
        assertThat(userPrompt.status()).isEqualTo(403);
        assertThat(userPrompt.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).contains("insufficient_scope", "scope=\"mcp:prompts\""));
        McpReply readonlyCall = readonly.call("tools/call", echo);
        assertThat(readonlyCall.status()).isEqualTo(403);
        assertThat(readonlyCall.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).contains("insufficient_scope", "scope=\"mcp:tools\""));
        assertThat(readonly.call("prompts/list", Map.of()).status()).isEqualTo(200);
        assertThat(readonly.call("prompts/get", Map.of("name", "help")).status()).isEqualTo(403);
    }

    /**
     * Issue 17 point 4: the tool of {@code DownstreamTokenExchangeTest}, unchanged, on a Gatehouse whose
     * {@code downstreams:} entry points at Keycloak's standard token exchange (client {@code gatehouse} of the realm,
     * {@code standard.token.exchange.enabled}): the downstream API, verifying against Keycloak's JWKS with its own
     * audience, sees the user, with Gatehouse's client as the authorized party; the MCP token itself it refuses.
     */
    @Test
    @Tag("issue-17")
    @Tag("RFC8693")
    void a_tool_gets_a_downstream_token_for_the_user_by_keycloaks_standard_token_exchange() throws Exception {
        Path data = Files.createTempDirectory("gatehouse-keycloak-exchange");
        try (DownstreamApi api = DownstreamApi.start("reports-api")) {
            api.trust(keycloak.issuer(), URI.create(keycloak.issuer() + "/protocol/openid-connect/certs"));
            Path config = Files.writeString(data.resolve("gatehouse.yaml"), """
                    downstreams:
                      reports:
                        audience: reports-api
                        issuer: %s
                        client-id: gatehouse
                        client-secret-env: KC_GATEHOUSE_SECRET
                    """.formatted(keycloak.issuer()));
            io.gatehouse.server.internal.config.GatehouseConfig settings = io.gatehouse.server.internal.config.GatehouseConfig.from(
                    io.gatehouse.server.internal.config.Settings.load(java.util.Optional.of(config), java.util.Optional.empty(),
                            Map.of("KC_GATEHOUSE_SECRET", "gatehouse-secret"), Map.of("port", "0", "auth", "external",
                                    "issuer", keycloak.issuer(), "audience", mcpUrl, "data-dir", data.resolve("data").toString())));
            try (io.gatehouse.server.internal.Gatehouse tools = io.gatehouse.server.internal.Gatehouse.start(settings,
                    new io.gatehouse.server.internal.Gatehouse.Features("downstream-test", "1",
                            (builder, clock) -> builder.tool(DownstreamReportTool.report(api.url()))))) {
                String userToken = passwordToken("mcp-user", "user123");
                McpReply reply = McpTestClient.to(tools.mcpUrl()).header("Authorization", "Bearer " + userToken).initialize()
                        .call("tools/call", Map.of("name", "report", "arguments", Map.of("downstream", "reports")));
                assertThat(reply.result().path("isError").asBoolean(false)).as(reply.body()).isFalse();
                JsonNode seen = JSON.readTree(reply.result().path("content").get(0).path("text").asString());
                assertThat(seen.path("sub").asString()).isEqualTo(claims(userToken).path("sub").asString());
                assertThat(seen.path("aud").valueStream().map(JsonNode::asString).toList()).containsExactly("reports-api");
                assertThat(seen.path("azp").asString()).isEqualTo("gatehouse");
                HttpResponse<String> direct = HTTP.send(HttpRequest.newBuilder(api.url()).header("Authorization", "Bearer " + userToken)
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(direct.statusCode()).as("the MCP token is not for the downstream").isEqualTo(401);
            }
        }
    }

    @Test
    @Tag("RS-08")
    void tokens_for_another_audience_or_from_another_realm_are_refused_with_invalid_token() throws Exception {
        String otherAudience = token(Map.of("grant_type", "client_credentials", "client_id", "mcp-confidential",
                "client_secret", "mcp-confidential-secret", "scope", "profile")).path("access_token").asString();
        assertThat(claims(otherAudience).path("aud").toString()).doesNotContain(mcpUrl);
        String otherRealm = adminToken();
        for (String token : List.of(otherAudience, otherRealm)) {
            McpReply reply = gatehouse.client().post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", "Authorization", "Bearer " + token);
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).contains("error=\"invalid_token\""));
        }
    }

    @Test
    @Tag("RS-09")
    void an_expired_keycloak_token_is_refused_with_invalid_token() throws Exception {
        setAccessTokenLifespan(1);
        String token;
        try {
            token = passwordToken("mcp-admin", "admin123");
        } finally {
            setAccessTokenLifespan(300);
        }
        JsonNode claims = claims(token);
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(1);
        Thread.sleep(2_100);
        McpReply reply = gatehouse.client().post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", "Authorization", "Bearer " + token);
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).contains("error=\"invalid_token\""));
    }

    /** Adds a signing key of higher priority than any before, as an administrator rotating keys does; returns its kid. */
    static String rotateKey() throws Exception {
        String admin = adminToken();
        String before = kidOf(passwordToken("mcp-user", "user123"));
        String realmId = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(keycloak.url() + "/admin/realms/mcp-realm"))
                .header("Authorization", "Bearer " + admin).GET().build(), HttpResponse.BodyHandlers.ofString()).body()).path("id").asString();
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(keycloak.url() + "/admin/realms/mcp-realm/components"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"name":"rotated-rsa","providerId":"rsa-generated","providerType":"org.keycloak.keys.KeyProvider","parentId":"%s",
                         "config":{"priority":["%d"],"enabled":["true"],"active":["true"],"algorithm":["RS256"],"keySize":["2048"]}}"""
                        .formatted(realmId, KEY_PRIORITY.addAndGet(100)))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String after = kidOf(passwordToken("mcp-user", "user123"));
        assertThat(after).isNotEqualTo(before);
        return after;
    }

    static final java.util.concurrent.atomic.AtomicInteger KEY_PRIORITY = new java.util.concurrent.atomic.AtomicInteger(400);

    static String kidOf(String jwt) {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[0])).path("kid").asString();
    }

    @Test
    void a_key_rotated_in_keycloak_is_picked_up_without_restarting_gatehouse() throws Exception {
        String rotated = rotateKey();
        String token = passwordToken("mcp-user", "user123");
        assertThat(kidOf(token)).isEqualTo(rotated);
        assertThat(as(token).call("tools/call", Map.of("name", "whoami")).result().path("structuredContent").path("username").asString())
                .isEqualTo("mcp-user");
    }

    @Test
    void the_typescript_sdk_client_registers_with_keycloak_logs_in_and_calls_a_tool() {
        ExternalProcess.Outcome outcome = ExternalProcess.run(List.of(NodeTools.node22().toString(),
                scripts.resolve("sdk-oauth-flow.mjs").toString(), mcpUrl, "mcp-user", "user123"), scripts, Map.of(), Duration.ofMinutes(2));
        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        String[] lines = outcome.output().strip().split("\n");
        JsonNode seen = JSON.readTree(lines[lines.length - 1]);
        assertThat(seen.path("requests").toString()).contains("POST /mcp -> 401", "GET /.well-known/oauth-protected-resource/mcp -> 200",
                "/realms/mcp-realm/clients-registrations/openid-connect -> 201");
        assertThat(seen.path("iss").asString()).isEqualTo(keycloak.issuer());
        assertThat(seen.path("echo").asString()).isEqualTo("Hello OAuthHello OAuth");
        assertThat(seen.path("whoami").path("username").asString()).isEqualTo("mcp-user");
    }

    @Test
    void the_bridge_serves_keycloaks_metadata_and_relays_registration_with_cors_and_the_sdk_logs_in_through_it() throws Exception {
        int port = KeycloakServer.freePort();
        Path env = Files.writeString(Files.createTempFile("keycloak-bridge", ".env"), """
                KEYCLOAK_URL=%s
                KEYCLOAK_REALM=mcp-realm
                MCP_SERVER_URL=http://localhost:%d
                JWT_AUDIENCE=%s
                """.formatted(keycloak.url(), port, mcpUrl));
        // the guide's `gatehouse serve --env keycloak/keycloak_direct.env --bridge true`, on free ports
        try (RunningGatehouse bridge = RunningGatehouse.start("env", env.toString(), "port", String.valueOf(port), "bridge", "true")) {
            String origin = "http://localhost:" + port;
            McpReply challenge = bridge.client().post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}");
            assertThat(challenge.status()).isEqualTo(401);
            JsonNode prm = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(origin + "/.well-known/oauth-protected-resource/mcp"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(prm.path("authorization_servers").toString()).isEqualTo("[\"" + origin + "\"]");

            HttpResponse<String> metadata = HTTP.send(HttpRequest.newBuilder(URI.create(origin + "/.well-known/oauth-authorization-server"))
                    .header("Origin", "http://localhost:6274").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metadata.statusCode()).isEqualTo(200);
            assertThat(metadata.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
            JsonNode document = JSON.readTree(metadata.body());
            assertThat(document.path("issuer").asString()).isEqualTo(keycloak.issuer());
            assertThat(document.path("registration_endpoint").asString()).isEqualTo(origin + "/oauth/register");
            assertThat(document.path("authorization_endpoint").asString()).startsWith(keycloak.issuer());
            assertThat(document.path("token_endpoint").asString()).startsWith(keycloak.issuer());

            HttpResponse<String> preflight = HTTP.send(HttpRequest.newBuilder(URI.create(origin + "/oauth/register"))
                    .header("Origin", "http://localhost:6274").header("Access-Control-Request-Method", "POST")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(preflight.statusCode()).isEqualTo(204);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).hasValueSatisfying(v -> assertThat(v).contains("POST"));
            HttpResponse<String> registered = HTTP.send(HttpRequest.newBuilder(URI.create(origin + "/oauth/register"))
                    .header("Origin", "http://localhost:6274").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"client_name":"bridged","redirect_uris":["http://127.0.0.1:6274/oauth/callback"],
                             "token_endpoint_auth_method":"none","grant_types":["authorization_code"]}""")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
            assertThat(registered.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
            assertThat(JSON.readTree(registered.body()).path("client_id").asString()).isNotBlank();
            assertThat(registered.body()).doesNotContain("registration_access_token");
            HttpResponse<String> notJson = HTTP.send(HttpRequest.newBuilder(URI.create(origin + "/oauth/register"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{not json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(notJson.statusCode()).isEqualTo(400);
            assertThat(notJson.body()).contains("invalid_client_metadata");

            ExternalProcess.Outcome outcome = ExternalProcess.run(List.of(NodeTools.node22().toString(),
                    scripts.resolve("sdk-oauth-flow.mjs").toString(), bridge.mcpUrl().toString(), "mcp-user", "user123"), scripts, Map.of(),
                    Duration.ofMinutes(2));
            assertThat(outcome.exitCode()).as(outcome.output()).isZero();
            String[] lines = outcome.output().strip().split("\n");
            JsonNode seen = JSON.readTree(lines[lines.length - 1]);
            assertThat(seen.path("requests").toString()).contains("GET /.well-known/oauth-authorization-server -> 200",
                    "POST /oauth/register -> 201", "/realms/mcp-realm/protocol/openid-connect/token -> 200");
            assertThat(seen.path("whoami").path("username").asString()).isEqualTo("mcp-user");
        }
    }

    @Test
    @Tag("attack")
    @Tag("SEC19-4")
    void the_bridge_relays_only_what_an_mcp_client_needs_and_limits_a_burst_from_one_caller() throws Exception {
        int port = KeycloakServer.freePort();
        Path env = Files.writeString(Files.createTempFile("keycloak-bridge-abuse", ".env"), """
                KEYCLOAK_URL=%s
                KEYCLOAK_REALM=mcp-realm
                MCP_SERVER_URL=http://localhost:%d
                JWT_AUDIENCE=%s
                """.formatted(keycloak.url(), port, mcpUrl));
        try (RunningGatehouse bridge = RunningGatehouse.start("env", env.toString(), "port", String.valueOf(port), "bridge", "true")) {
            String marker = "sec19-4-" + UUID.randomUUID();
            String clientCredentials = bridgedRegistration(port, "127.0.0.1", """
                    {"client_name":"%s-cc","redirect_uris":["http://127.0.0.1:6274/cb"],"grant_types":["client_credentials"],
                     "token_endpoint_auth_method":"client_secret_basic"}""".formatted(marker));
            String mappers = bridgedRegistration(port, "127.0.0.1", """
                    {"client_name":"%s-mappers","redirect_uris":["http://127.0.0.1:6274/cb"],"grant_types":["authorization_code"],
                     "protocol_mappers":[{"name":"admin","protocol":"openid-connect","protocolMapper":"oidc-usermodel-attribute-mapper",
                       "config":{"user.attribute":"nickname","claim.name":"roles","jsonType.label":"String","access.token.claim":"true"}}]}"""
                    .formatted(marker));
            for (String refused : List.of(clientCredentials, mappers)) {
                assertThat(refused).startsWith("HTTP/1.1 400 ");
                assertThat(refused).contains("\"error\":\"invalid_client_metadata\"");
            }
            HttpResponse<String> clients = HTTP.send(HttpRequest.newBuilder(URI.create(keycloak.url() + "/admin/realms/mcp-realm/clients?max=10000"))
                    .header("Authorization", "Bearer " + adminToken()).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(clients.statusCode()).isEqualTo(200);
            assertThat(clients.body()).as("neither request reached Keycloak").doesNotContain(marker);

            // one caller (127.0.0.2) registering again and again: its share, then 429 with Retry-After
            List<String> burst = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                burst.add(bridgedRegistration(port, "127.0.0.2", """
                        {"client_name":"%s-burst","redirect_uris":["http://127.0.0.1:6274/cb"],"token_endpoint_auth_method":"none"}"""
                        .formatted(marker)));
            }
            assertThat(burst.subList(0, 10)).allSatisfy(answer -> assertThat(answer).startsWith("HTTP/1.1 201 "));
            assertThat(burst.subList(10, 12)).allSatisfy(answer -> assertThat(answer).startsWith("HTTP/1.1 429 ")
                    .containsPattern("(?i)\r\nretry-after: [1-9][0-9]*\r\n"));

            // a regular client from another address still registers and logs in through the bridge
            ExternalProcess.Outcome outcome = ExternalProcess.run(List.of(NodeTools.node22().toString(),
                    scripts.resolve("sdk-oauth-flow.mjs").toString(), bridge.mcpUrl().toString(), "mcp-user", "user123"), scripts, Map.of(),
                    Duration.ofMinutes(2));
            assertThat(outcome.exitCode()).as(outcome.output()).isZero();
            String[] lines = outcome.output().strip().split("\n");
            JsonNode seen = JSON.readTree(lines[lines.length - 1]);
            assertThat(seen.path("requests").toString()).contains("POST /oauth/register -> 201");
            assertThat(seen.path("whoami").path("username").asString()).isEqualTo("mcp-user");
        }
    }

    /** POSTs a registration to the bridge from the given local address (a raw HTTP/1.1 exchange); returns the whole answer. */
    static String bridgedRegistration(int port, String fromAddress, String json) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName(fromAddress), 0)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /oauth/register HTTP/1.1\r\nHost: localhost:" + port + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void the_inspector_cli_runs_its_own_oauth_flow_through_keycloak() throws Exception {
        Path inspector = NodeTools.install("inspector", List.of("@modelcontextprotocol/inspector@2.12.0"))
                .resolve("node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js");
        Path browser = Files.createTempFile("kc-browser", ".sh");
        Files.writeString(browser, "#!/bin/sh\nexec '" + NodeTools.node22() + "' '" + scripts.resolve("browser-login.mjs") + "' \"$1\"\n");
        browser.toFile().setExecutable(true);
        Path home = Files.createTempDirectory("inspector-kc-home");
        ExternalProcess.Outcome outcome = ExternalProcess.run(new ArrayList<>(List.of(NodeTools.node22().toString(), inspector.toString(),
                        "--cli", mcpUrl, "--transport", "http", "--method", "tools/call", "--tool-name", "whoami")), home,
                Map.of("HOME", home.toString(), "MCP_INSPECTOR_SECRET_STORE", "memory", "MCP_AUTO_OPEN_ENABLED", "true",
                        "BROWSER", browser.toString(), "GATEHOUSE_USER", "mcp-user", "GATEHOUSE_PASSWORD", "user123"), Duration.ofMinutes(2));
        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output()).contains("\"username\": \"mcp-user\"");
    }

    @Test
    void idp_check_measures_keycloak_26_5_pkce_and_registration_yes_resource_indicators_no() {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(new StringWriter()));
        cli.execute("idp-check", keycloak.issuer(), "--register", "--client-id", "mcp-confidential", "--client-secret",
                "mcp-confidential-secret", "--resource", mcpUrl, "--scope", "mcp:read mcp:tools", "--json");
        JsonNode report = JSON.readTree(out.toString());
        assertThat(result(report, "rfc8414")).isEqualTo("yes");
        assertThat(result(report, "oidc")).isEqualTo("yes");
        assertThat(result(report, "pkce")).isEqualTo("yes");
        assertThat(result(report, "dcr")).isEqualTo("yes");
        assertThat(result(report, "cimd")).isEqualTo("no");
        assertThat(result(report, "rfc9207")).isEqualTo("yes");
        assertThat(result(report, "rfc8707")).isEqualTo("no");
    }

    /**
     * SEC19-2: idp-check registers (anonymously, as anyone can) a client that brings an
     * {@code oidc-usermodel-attribute-mapper}, and flags the provider when Keycloak accepts it. Measured under both
     * settings of the realm's anonymous "Allowed Protocol Mapper Types" policy, set through the admin API: as this
     * repository's realm had it (user attribute and property mappers allowed: flagged, verdict not usable), and
     * without those two mapper types (refused: passes); the realm's own setting is restored afterwards. Every client
     * idp-check registered (public, mapper probe, client_credentials) is gone afterwards, seen through the admin API.
     */
    @Test
    @Tag("attack")
    @Tag("SEC19-2")
    @Tag("SEC19-11")
    void idp_check_flags_anonymous_registration_that_accepts_protocol_mappers_and_leaves_no_test_client_behind() throws Exception {
        List<String> permissive = List.of("saml-user-attribute-mapper", "oidc-full-name-mapper", "oidc-usermodel-property-mapper",
                "saml-role-list-mapper", "saml-user-property-mapper", "oidc-address-mapper", "oidc-sha256-pairwise-sub-mapper",
                "oidc-usermodel-attribute-mapper");
        List<String> strict = List.of("oidc-full-name-mapper", "oidc-address-mapper", "oidc-sha256-pairwise-sub-mapper");
        JsonNode original = anonymousMapperPolicy();
        try {
            setAnonymousMapperTypes(original, permissive);
            JsonNode allowing = idpCheckJson("idp-check", keycloak.issuer(), "--register", "--resource", mcpUrl, "--json");
            assertThat(result(allowing, "protocol-mappers")).isEqualTo("no");
            assertThat(allowing.path("verdict").asString()).isEqualTo("not_usable");
            assertThat(result(allowing, "cleanup")).as(allowing.toString()).isEqualTo("yes");

            setAnonymousMapperTypes(original, strict);
            JsonNode refusing = idpCheckJson("idp-check", keycloak.issuer(), "--register", "--json");
            assertThat(result(refusing, "protocol-mappers")).as(refusing.toString()).isEqualTo("yes");
            assertThat(result(refusing, "cleanup")).as(refusing.toString()).isEqualTo("yes");
        } finally {
            HttpResponse<String> restored = HTTP.send(HttpRequest.newBuilder(URI.create(keycloak.url() + "/admin/realms/mcp-realm/components/"
                            + original.path("id").asString())).header("Authorization", "Bearer " + adminToken())
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(original.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(restored.statusCode()).as(restored.body()).isEqualTo(204);
        }
        JsonNode clients = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(keycloak.url() + "/admin/realms/mcp-realm/clients?max=1000"))
                .header("Authorization", "Bearer " + adminToken()).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(clients.findValuesAsString("name")).noneMatch(name -> name.startsWith("gatehouse idp-check"));
    }

    private static JsonNode idpCheckJson(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        cli.execute(args);
        assertThat(out.toString()).as(err.toString()).isNotBlank();
        return JSON.readTree(out.toString());
    }

    /** The realm's "Allowed Protocol Mapper Types" client registration policy for anonymous requests. */
    private static JsonNode anonymousMapperPolicy() throws Exception {
        JsonNode components = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(keycloak.url()
                        + "/admin/realms/mcp-realm/components?type=org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy"))
                .header("Authorization", "Bearer " + adminToken()).build(), HttpResponse.BodyHandlers.ofString()).body());
        for (JsonNode component : components) {
            if (component.path("providerId").asString().equals("allowed-protocol-mappers") && component.path("subType").asString().equals("anonymous")) {
                return component;
            }
        }
        throw new AssertionError("the realm has no anonymous allowed-protocol-mappers policy: " + components);
    }

    private static void setAnonymousMapperTypes(JsonNode policy, List<String> types) throws Exception {
        tools.jackson.databind.node.ObjectNode changed = (tools.jackson.databind.node.ObjectNode) policy.deepCopy();
        var list = ((tools.jackson.databind.node.ObjectNode) changed.path("config")).putArray("allowed-protocol-mapper-types");
        types.forEach(list::add);
        HttpResponse<String> updated = HTTP.send(HttpRequest.newBuilder(URI.create(keycloak.url() + "/admin/realms/mcp-realm/components/"
                        + policy.path("id").asString())).header("Authorization", "Bearer " + adminToken())
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(changed.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(204);
    }

    @Test
    void the_gatehouse_cli_logs_in_through_keycloak_and_calls_a_tool() throws Exception {
        Path browser = Files.createTempFile("kc-cli-browser", ".sh");
        Files.writeString(browser, "#!/bin/sh\nGATEHOUSE_USER=mcp-user GATEHOUSE_PASSWORD=user123 exec '" + NodeTools.node22() + "' '"
                + scripts.resolve("browser-login.mjs") + "' \"$1\" >/dev/null 2>&1 &\n");
        browser.toFile().setExecutable(true);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("tools", "call", mcpUrl, "whoami", "--json", "--browser", browser.toString(), "--timeout", "60",
                "--credentials-file", Files.createTempDirectory("kc-cli").resolve("credentials.json").toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("\"username\" : \"mcp-user\"");
    }

    @Test
    void the_management_health_reports_the_issuer_and_the_reachability_of_its_keys_without_secrets() throws Exception {
        as(passwordToken("mcp-user", "user123")).call("ping", Map.of());
        assertThat(gatehouse.client().raw("GET", "/health", null).json().toString()).isEqualTo("{\"status\":\"ok\"}");
        JsonNode health = gatehouse.managementHealth();
        assertThat(health.path("auth").asString()).isEqualTo("external");
        JsonNode rs = health.path("resourceServer");
        assertThat(rs.path("issuer").asString()).isEqualTo(keycloak.issuer());
        assertThat(rs.path("jwks").path("url").asString()).isEqualTo(keycloak.issuer() + "/protocol/openid-connect/certs");
        assertThat(rs.path("jwks").path("reachable").asBoolean()).isTrue();
        assertThat(rs.path("jwks").path("lastRefresh").asString()).isNotBlank();
        assertThat(health.toString()).doesNotContain("secret", "password");
    }

    // ---- Issue 19: claim injection (2), tokens that are not access tokens (3), a slow or stopped provider (5, 7) ----

    static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";

    static HttpResponse<String> send(String method, String url, String bearer, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> admin(String method, String path, String json) throws Exception {
        return send(method, keycloak.url() + "/admin/realms/mcp-realm" + path, adminToken(), json);
    }

    /**
     * bob, an ordinary user as an administrator adds one (Keycloak's default roles, so he manages his own account)
     * with the role mcp-user: read and tools, no prompts, not admin.
     */
    static synchronized void ensureBob() throws Exception {
        if (JSON.readTree(admin("GET", "/users?username=bob&exact=true", null).body()).size() > 0) {
            return;
        }
        HttpResponse<String> created = admin("POST", "/users", """
                {"username":"bob","enabled":true,"email":"bob@mcp.example.com","emailVerified":true,"firstName":"Bob",
                 "lastName":"Builder","credentials":[{"type":"password","value":"bob123","temporary":false}]}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(admin("GET", "/users?username=bob&exact=true", null).body()).get(0).path("id").asString();
        String role = admin("GET", "/roles/mcp-user", null).body();
        assertThat(admin("POST", "/users/" + id + "/role-mappings/realm", "[" + role + "]").statusCode()).isEqualTo(204);
    }

    static String bobToken(String clientId, String scope) throws Exception {
        JsonNode response = token(Map.of("grant_type", "password", "client_id", clientId, "username", "bob", "password", "bob123",
                "scope", scope));
        assertThat(response.has("access_token")).as(response.toString()).isTrue();
        return response.path("access_token").asString();
    }

    /** Anonymous registration through Keycloak's own client representation, which carries protocol mappers. */
    static HttpResponse<String> registerClient(String representation, String bearer) throws Exception {
        return send("POST", keycloak.issuer() + "/clients-registrations/default", bearer, representation);
    }

    /** A client of bob's with mappers that copy his (self-edited) last and first names into roles and scp. */
    static String injectingClient(String clientId) {
        return """
                {"clientId":"%s","publicClient":true,"directAccessGrantsEnabled":true,
                 "redirectUris":["http://127.0.0.1:7777/callback"],
                 "protocolMappers":[
                  {"name":"roles","protocol":"openid-connect","protocolMapper":"oidc-usermodel-property-mapper",
                   "config":{"user.attribute":"lastName","claim.name":"roles","jsonType.label":"String","access.token.claim":"true"}},
                  {"name":"scp","protocol":"openid-connect","protocolMapper":"oidc-usermodel-property-mapper",
                   "config":{"user.attribute":"firstName","claim.name":"scp","jsonType.label":"String","access.token.claim":"true"}}]}"""
                .formatted(clientId);
    }

    /** The realm's client registration policy limiting protocol mappers for {@code subType} requests. */
    static JsonNode mapperPolicy(String subType) throws Exception {
        for (JsonNode policy : JSON.readTree(admin("GET",
                "/components?type=org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy", null).body())) {
            if (policy.path("providerId").asString().equals("allowed-protocol-mappers") && policy.path("subType").asString().equals(subType)) {
                return policy;
            }
        }
        throw new AssertionError("no allowed-protocol-mappers policy for " + subType);
    }

    static void allowMapperTypes(String subType, List<String> types) throws Exception {
        tools.jackson.databind.node.ObjectNode policy = (tools.jackson.databind.node.ObjectNode) mapperPolicy(subType);
        ((tools.jackson.databind.node.ObjectNode) policy.path("config")).set("allowed-protocol-mapper-types", JSON.valueToTree(types));
        HttpResponse<String> updated = admin("PUT", "/components/" + policy.path("id").asString(), policy.toString());
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(204);
    }

    @Test
    @Tag("attack")
    @Tag("SEC19-2")
    void bob_cannot_make_himself_admin_with_a_self_registered_protocol_mapper() throws Exception {
        ensureBob();
        // bob edits his own profile through Keycloak's account API, as the account console lets every user
        HttpResponse<String> edited = send("POST", keycloak.issuer() + "/account/", bobToken("mcp-test-client", "openid profile email"), """
                {"username":"bob","email":"bob@mcp.example.com","firstName":"mcp:prompts","lastName":"admin"}""");
        assertThat(edited.statusCode()).as(edited.body()).isEqualTo(204);

        // the shipped realm refuses a registration that brings protocol mappers, anonymous or with an initial access token
        HttpResponse<String> anonymous = registerClient(injectingClient("bobs-tool"), null);
        assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(403);
        assertThat(anonymous.body()).contains("ProtocolMapper type not allowed");
        String initialAccess = JSON.readTree(admin("POST", "/clients-initial-access", "{\"expiration\":600,\"count\":1}").body())
                .path("token").asString();
        HttpResponse<String> authenticated = registerClient(injectingClient("bobs-tool"), initialAccess);
        assertThat(authenticated.statusCode()).as(authenticated.body()).isEqualTo(403);
        assertThat(token(Map.of("grant_type", "password", "client_id", "bobs-tool", "username", "bob", "password", "bob123"))
                .has("access_token")).isFalse();

        // a provider that lets anonymous clients bring mappers (Keycloak's own default policy): the claims get in, but
        // Gatehouse reads roles and scopes only from the claims Keycloak defines
        allowMapperTypes("anonymous", List.of("oidc-usermodel-property-mapper", "oidc-usermodel-attribute-mapper", "oidc-full-name-mapper"));
        try {
            HttpResponse<String> registered = registerClient(injectingClient("bobs-tool"), null);
            assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
            String token = bobToken("bobs-tool", "openid mcp:read mcp:tools");
            assertThat(claims(token).path("roles").asString()).isEqualTo("admin");
            assertThat(claims(token).path("scp").asString()).isEqualTo("mcp:prompts");

            McpTestClient bob = as(token);
            McpReply adminTool = bob.call("tools/call", Map.of("name", "server_info"));
            assertThat(adminTool.status()).as(adminTool.body()).isEqualTo(403);
            assertThat(adminTool.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).contains("insufficient_scope"));
            McpReply prompt = bob.call("prompts/get", Map.of("name", "echo_prompt", "arguments", Map.of("message", "x")));
            assertThat(prompt.status()).as(prompt.body()).isEqualTo(403);
            JsonNode whoami = bob.call("tools/call", Map.of("name", "whoami")).result().path("structuredContent");
            assertThat(whoami.path("username").asString()).isEqualTo("bob");
            assertThat(whoami.toString()).doesNotContain("\"admin\"", "mcp:prompts");
        } finally {
            allowMapperTypes("anonymous", List.of());
            deleteClient("bobs-tool");
        }
    }

    static void deleteClient(String clientId) throws Exception {
        for (JsonNode client : JSON.readTree(admin("GET", "/clients?clientId=" + java.net.URLEncoder.encode(clientId,
                java.nio.charset.StandardCharsets.UTF_8), null).body())) {
            admin("DELETE", "/clients/" + client.path("id").asString(), null);
        }
    }

    /** bob registers (anonymously: Keycloak lets him choose the client_id) a client named after Gatehouse's MCP URL. */
    static String idTokenWithTheMcpAudience() throws Exception {
        ensureBob();
        HttpResponse<String> squatted = registerClient("""
                {"clientId":"%s","publicClient":true,"directAccessGrantsEnabled":true,"redirectUris":["http://127.0.0.1:7777/callback"]}"""
                .formatted(mcpUrl), null);
        assertThat(squatted.statusCode()).as(squatted.body()).isIn(201, 409);
        String idToken = token(Map.of("grant_type", "password", "client_id", mcpUrl, "username", "bob", "password", "bob123",
                "scope", "openid")).path("id_token").asString();
        assertThat(claims(idToken).path("aud").asString()).isEqualTo(mcpUrl);
        assertThat(claims(idToken).path("typ").asString()).isEqualTo("ID");
        return idToken;
    }

    static void assertInvalidToken(McpReply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).contains("error=\"invalid_token\""));
    }

    @Test
    @Tag("attack")
    @Tag("SEC19-3")
    void an_id_token_whose_audience_is_the_mcp_url_and_a_refresh_token_are_refused_as_invalid_tokens() throws Exception {
        try {
            String idToken = idTokenWithTheMcpAudience();
            assertInvalidToken(gatehouse.client().post(PING, "Authorization", "Bearer " + idToken));

            JsonNode tokens = token(Map.of("grant_type", "password", "client_id", "mcp-test-client", "username", "mcp-user",
                    "password", "user123", "scope", "openid mcp:read mcp:tools"));
            assertInvalidToken(gatehouse.client().post(PING, "Authorization", "Bearer " + tokens.path("refresh_token").asString()));
            assertInvalidToken(gatehouse.client().post(PING, "Authorization", "Bearer " + tokens.path("id_token").asString()));
            assertThat(as(tokens.path("access_token").asString()).call("ping", Map.of()).status()).isEqualTo(200);
        } finally {
            deleteClient(mcpUrl);
        }
    }

    @Test
    @Tag("attack")
    @Tag("SEC19-3")
    void through_introspection_a_refresh_token_and_an_id_token_keycloak_calls_active_are_refused() throws Exception {
        Path env = Files.writeString(Files.createTempFile("keycloak-introspection", ".env"), """
                KEYCLOAK_URL=%s
                KEYCLOAK_REALM=mcp-realm
                JWT_AUDIENCE=%s
                """.formatted(keycloak.url(), mcpUrl));
        try (RunningGatehouse introspecting = RunningGatehouse.start("env", env.toString(), "introspection-url",
                keycloak.issuer() + "/protocol/openid-connect/token/introspect", "introspection-client-id", "mcp-server",
                "introspection-client-secret", "mcp-server-secret", "session-mode", "stateless")) {
            JsonNode tokens = token(Map.of("grant_type", "password", "client_id", "mcp-test-client", "username", "mcp-user",
                    "password", "user123", "scope", "openid mcp:read mcp:tools"));
            String refresh = tokens.path("refresh_token").asString();
            // Keycloak calls the refresh token active, for this audience: only its type tells it apart
            JsonNode introspected = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(keycloak.issuer()
                            + "/protocol/openid-connect/token/introspect"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("mcp-server:mcp-server-secret".getBytes()))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(OAuthTestDriver.form(Map.of("token", refresh)))).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(introspected.path("active").asBoolean()).isTrue();
            assertThat(introspected.path("aud").toString()).contains(mcpUrl);

            assertInvalidToken(introspecting.client().post(PING, "Authorization", "Bearer " + refresh));
            assertInvalidToken(introspecting.client().post(PING, "Authorization", "Bearer " + tokens.path("id_token").asString()));
            assertInvalidToken(introspecting.client().post(PING, "Authorization", "Bearer " + idTokenWithTheMcpAudience()));
            assertThat(introspecting.client().post(PING, "Authorization", "Bearer " + tokens.path("access_token").asString()).status())
                    .isEqualTo(200);
        } finally {
            deleteClient(mcpUrl);
        }
    }

    @Test
    @Tag("attack")
    @Tag("SEC19-5")
    @Tag("SEC19-7")
    void a_frozen_keycloak_makes_valid_tokens_503_with_retry_after_at_once_from_the_first_request_to_the_hundredth() throws Exception {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            tokens.add(passwordToken("mcp-user", "user123"));
        }
        Path env = Files.writeString(Files.createTempFile("keycloak-frozen", ".env"), """
                KEYCLOAK_URL=%s
                KEYCLOAK_REALM=mcp-realm
                JWT_AUDIENCE=%s
                """.formatted(keycloak.url(), mcpUrl));
        // a Gatehouse that has not fetched Keycloak's keys yet: every request needs them
        try (RunningGatehouse fresh = RunningGatehouse.start("env", env.toString(), "session-mode", "stateless");
             java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            keycloak.signal("STOP");
            try {
                // concurrent requests are not queued behind one another: each gets its answer within the fetch timeout
                List<java.util.concurrent.Future<McpReply>> concurrent = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    String token = tokens.get(i % tokens.size());
                    concurrent.add(pool.submit(() -> fresh.client().post(PING, "Authorization", "Bearer " + token)));
                }
                for (java.util.concurrent.Future<McpReply> reply : concurrent) {
                    assertUnavailable(reply.get(20, java.util.concurrent.TimeUnit.SECONDS));
                }
                // then the failure is remembered: the hundred requests after them are answered at once, all 503, none 401
                java.util.concurrent.Future<List<McpReply>> sequential = pool.submit(() -> {
                    List<McpReply> replies = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        replies.add(fresh.client().post(PING, "Authorization", "Bearer " + tokens.get(i % tokens.size())));
                    }
                    return replies;
                });
                sequential.get(20, java.util.concurrent.TimeUnit.SECONDS).forEach(KeycloakTest::assertUnavailable);
                assertThat(fresh.client().raw("GET", "/health", null).json().path("resourceServer").path("jwks").path("reachable")
                        .asBoolean()).isFalse();
            } finally {
                keycloak.signal("CONT");
            }
            java.time.Instant deadline = java.time.Instant.now().plusSeconds(60);
            McpReply reply = fresh.client().post(PING, "Authorization", "Bearer " + tokens.get(0));
            while (reply.status() == 503 && java.time.Instant.now().isBefore(deadline)) {
                Thread.sleep(1_000);
                reply = fresh.client().post(PING, "Authorization", "Bearer " + tokens.get(0));
            }
            assertThat(reply.status()).as("recovered once Keycloak answers again").isEqualTo(200);
        }
    }

    static void assertUnavailable(McpReply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(503);
        assertThat(reply.header("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
        assertThat(reply.header("WWW-Authenticate")).isEmpty();
    }

    @Test
    @Tag("attack")
    @Tag("SEC19-5")
    void a_flood_of_junk_key_ids_does_not_keep_a_key_rotated_in_keycloak_from_being_accepted() throws Exception {
        as(passwordToken("mcp-user", "user123")).call("ping", Map.of());
        com.nimbusds.jose.jwk.RSAKey junk = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("junk").generate();
        java.util.concurrent.atomic.AtomicBoolean flooding = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.Set<Integer> floodStatuses = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<?>> attackers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                attackers.add(pool.submit(() -> {
                    for (int i = 0; i < 300 && flooding.get(); i++) {
                        java.time.Instant now = java.time.Instant.now();
                        String forged = JwksServer.sign(junk, new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.RS256)
                                        .keyID(java.util.UUID.randomUUID().toString()).type(new com.nimbusds.jose.JOSEObjectType("at+jwt")),
                                new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer(keycloak.issuer()).subject("mallory").audience(mcpUrl)
                                        .issueTime(java.util.Date.from(now)).expirationTime(java.util.Date.from(now.plusSeconds(300))).build());
                        floodStatuses.add(gatehouse.client().post(PING, "Authorization", "Bearer " + forged).status());
                    }
                    return null;
                }));
            }
            try {
                String rotated = rotateKey();
                String token = passwordToken("mcp-user", "user123");
                assertThat(kidOf(token)).isEqualTo(rotated);
                McpReply reply = as(token).call("ping", Map.of());
                assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            } finally {
                flooding.set(false);
                for (java.util.concurrent.Future<?> attacker : attackers) {
                    attacker.get(60, java.util.concurrent.TimeUnit.SECONDS);
                }
            }
        }
        assertThat(floodStatuses).isNotEmpty().doesNotContain(200);
    }

    private static String result(JsonNode report, String id) {
        for (JsonNode check : report.path("checks")) {
            if (check.path("id").asString().equals(id)) {
                return check.path("result").asString();
            }
        }
        throw new AssertionError("no check " + id + " in " + report);
    }
}
