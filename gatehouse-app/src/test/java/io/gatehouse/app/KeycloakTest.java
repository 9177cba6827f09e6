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
                GATEHOUSE_JWKS_REFETCH_INTERVAL=1s
                GATEHOUSE_CLOCK_SKEW=0s
                """.formatted(keycloak.url(), port, mcpUrl));
        gatehouse = RunningGatehouse.start("env", env.toString(), "port", String.valueOf(port), "management-port", "0");
        scripts = NodeTools.install("sdk", List.of("@modelcontextprotocol/sdk@1.32.2"));
        for (String script : List.of("browser-login.mjs", "sdk-oauth-flow.mjs")) {
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
        assertThat(user.path("aud").asString()).isEqualTo(mcpUrl);
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

    @Test
    void a_key_rotated_in_keycloak_is_picked_up_without_restarting_gatehouse() throws Exception {
        String admin = adminToken();
        String before = JSON.readTree(Base64.getUrlDecoder().decode(passwordToken("mcp-user", "user123").split("\\.")[0])).path("kid").asString();
        String realmId = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(keycloak.url() + "/admin/realms/mcp-realm"))
                .header("Authorization", "Bearer " + admin).GET().build(), HttpResponse.BodyHandlers.ofString()).body()).path("id").asString();
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(keycloak.url() + "/admin/realms/mcp-realm/components"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"name":"rotated-rsa","providerId":"rsa-generated","providerType":"org.keycloak.keys.KeyProvider","parentId":"%s",
                         "config":{"priority":["500"],"enabled":["true"],"active":["true"],"algorithm":["RS256"],"keySize":["2048"]}}"""
                        .formatted(realmId))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String token = passwordToken("mcp-user", "user123");
        String after = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[0])).path("kid").asString();
        assertThat(after).isNotEqualTo(before);
        Thread.sleep(1_200);
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

    private static String result(JsonNode report, String id) {
        for (JsonNode check : report.path("checks")) {
            if (check.path("id").asString().equals(id)) {
                return check.path("result").asString();
            }
        }
        throw new AssertionError("no check " + id + " in " + report);
    }
}
