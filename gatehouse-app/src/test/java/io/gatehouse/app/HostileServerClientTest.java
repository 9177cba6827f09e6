package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.client.mcp.McpClient;
import io.gatehouse.client.oauth.ClientOptions;
import io.gatehouse.client.oauth.CredentialStore;
import io.gatehouse.client.oauth.Credentials;
import io.gatehouse.client.oauth.Http;
import io.gatehouse.client.oauth.McpAuthorizer;
import io.gatehouse.client.oauth.UrlOpener;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The CLI and {@code idp-check} as victims (issue 19, findings 1, 10 and 11): small hostile HTTP servers written
 * here, on 127.0.0.1, try to get the CLI's stored credentials, exhaust or stall it, drive the user's terminal, or
 * make {@code idp-check} send secrets and DELETEs where they please. Each test runs the real command line.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("attack")
class HostileServerClientTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String PASSWORD = "hostile-test-password";
    static RunningGatehouse gatehouse;
    static Path credentials;
    static Path browser;

    record Run(int exitCode, String out, String err) {
    }

    /** A real Gatehouse (embedded authorization server) at which the CLI's credentials file already holds a login. */
    @BeforeAll
    static void logInAtARealGatehouse() throws Exception {
        gatehouse = RunningGatehouse.start("auth", "embedded", "demo-password", PASSWORD,
                "data-dir", Files.createTempDirectory("gatehouse-hostile").toString());
        credentials = Files.createTempDirectory("gatehouse-hostile-home").resolve("credentials.json");
        URI base = URI.create("http://localhost:" + gatehouse.gatehouse.port());
        OAuthTestDriver user = new OAuthTestDriver(base);
        UrlOpener signIn = url -> {
            try {
                URI callback = user.loginAndConsent(user.open(url), "alice", PASSWORD);
                HttpClient.newHttpClient().send(HttpRequest.newBuilder(callback).build(), HttpResponse.BodyHandlers.discarding());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        ClientOptions options = new ClientOptions(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), true, false,
                signIn, Duration.ofSeconds(30), "Gatehouse CLI");
        McpAuthorizer authorizer = new McpAuthorizer(new Http(), new CredentialStore(credentials), options, Clock.systemUTC());
        try (McpClient client = new McpClient(gatehouse.mcpUrl(), new Http(), authorizer)) {
            client.connect();
        }
        assertThat(Files.readString(credentials)).contains("\"issuer\" : \"" + base + "\"", "refresh_token");
        // the "browser" of the attack runs: it follows whatever authorization URL it is given (curl, in the background)
        browser = Files.createTempFile("hostile-browser", ".sh");
        Files.writeString(browser, "#!/bin/sh\ncurl -s -o /dev/null -L --max-redirs 5 \"$1\" >/dev/null 2>&1 &\n");
        browser.toFile().setExecutable(true);
    }

    @AfterAll
    static void stop() throws Exception {
        gatehouse.close();
    }

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static String issuer() {
        return "http://localhost:" + gatehouse.gatehouse.port();
    }

    /**
     * An MCP server without protected resource metadata (the 2025-03-26 fallback) whose root metadata names
     * {@code namedIssuer} and puts every endpoint on itself: the authorization endpoint sends the browser straight
     * back with a code, the token endpoint would collect the code, the verifier and any client secret.
     */
    private static HostileHttpServer mixUpServer(String namedIssuer) throws IOException {
        HostileHttpServer hostile = new HostileHttpServer();
        String self = hostile.origin();
        hostile.on("POST", "/mcp", (exchange, seen) -> {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            HostileHttpServer.send(exchange, 401, "application/json", "{}");
        });
        hostile.json("GET", "/.well-known/oauth-authorization-server", 200, """
                {"issuer":"%s","authorization_endpoint":"%s/authorize","token_endpoint":"%s/token","registration_endpoint":"%s/register",
                 "revocation_endpoint":"%s/revoke","code_challenge_methods_supported":["S256"],
                 "token_endpoint_auth_methods_supported":["none","client_secret_basic","client_secret_post"]}"""
                .formatted(namedIssuer, self, self, self, self, self));
        hostile.on("GET", "/authorize", (exchange, seen) -> {
            Map<String, String> query = query(seen.uri().getRawQuery());
            exchange.getResponseHeaders().set("Location", query.get("redirect_uri") + "?code=code-for-the-attacker&state="
                    + query.get("state") + "&iss=" + namedIssuer);
            HostileHttpServer.send(exchange, 302, "text/plain", "");
        });
        hostile.json("POST", "/token", 200, "{\"access_token\":\"from-the-attacker\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
        hostile.json("POST", "/register", 201, "{\"client_id\":\"attacker-client\"}");
        return hostile;
    }

    /** What the CLI must never hand to a server that is not the authorization server it logged in at. */
    private static void assertReceivedNoCredentials(HostileHttpServer hostile, String... secrets) {
        assertThat(hostile.requests()).extracting(s -> s.uri().getPath())
                .doesNotContain("/authorize", "/token", "/register", "/revoke");
        String received = hostile.everythingReceived();
        assertThat(received).doesNotContain("code_verifier", "code-for-the-attacker", "refresh_token", "client_secret", "Authorization");
        for (String secret : secrets) {
            assertThat(received).doesNotContain(secret);
        }
    }

    @Test
    @Tag("SEC19-1")
    void a_server_without_resource_metadata_naming_the_real_issuer_gets_no_code_verifier_or_token_and_the_cli_says_why() throws Exception {
        JsonNode before = JSON.readTree(Files.readString(credentials));
        String refreshToken = before.path("clients").get(0).path("tokens").path("refresh_token").asString();
        try (HostileHttpServer hostile = mixUpServer(issuer())) {
            Run run = cli("tools", "call", hostile.origin() + "/mcp", "whoami", "--credentials-file", credentials.toString(),
                    "--browser", browser.toString(), "--timeout", "10");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("the authorization server metadata at " + hostile.origin()
                    + "/.well-known/oauth-authorization-server says issuer " + issuer() + ", which is not on the MCP server's origin "
                    + hostile.origin() + ": refusing to use it");
            JsonNode stored = before.path("clients").get(0);
            assertReceivedNoCredentials(hostile, refreshToken, stored.path("tokens").path("access_token").asString(),
                    stored.path("client_id").asString());
        }
        assertThat(JSON.readTree(Files.readString(credentials))).as("the real login is untouched").isEqualTo(before);
    }

    @Test
    @Tag("SEC19-1")
    void a_stored_confidential_clients_secret_is_never_sent_to_a_server_that_names_its_issuer() throws Exception {
        Path file = Files.createTempDirectory("gatehouse-hostile-kc").resolve("credentials.json");
        String keycloak = "http://localhost:1/realms/mcp-realm";
        new CredentialStore(file).save(new Credentials(keycloak, Optional.of(URI.create(keycloak.replace("/realms",
                "/.well-known/oauth-authorization-server/realms"))), "mcp-confidential", Optional.of("kc-client-secret-value"),
                "client_secret_basic", Optional.empty()));
        try (HostileHttpServer hostile = mixUpServer(keycloak)) {
            Run run = cli("login", hostile.origin() + "/mcp", "--credentials-file", file.toString(), "--browser", browser.toString(),
                    "--timeout", "10");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("says issuer " + keycloak + ", which is not on the MCP server's origin " + hostile.origin());
            assertReceivedNoCredentials(hostile, "kc-client-secret-value", "mcp-confidential");
        }
    }

    @Test
    @Tag("SEC19-1")
    void metadata_that_puts_its_token_endpoint_on_another_origin_is_refused_before_anything_is_sent_there() throws Exception {
        try (HostileHttpServer elsewhere = new HostileHttpServer(); HostileHttpServer hostile = new HostileHttpServer()) {
            hostile.on("POST", "/mcp", (exchange, seen) -> {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                HostileHttpServer.send(exchange, 401, "application/json", "{}");
            });
            hostile.json("GET", "/.well-known/oauth-authorization-server", 200, """
                    {"issuer":"%s","authorization_endpoint":"%s/authorize","token_endpoint":"%s/token",
                     "registration_endpoint":"%s/register","code_challenge_methods_supported":["S256"]}"""
                    .formatted(hostile.origin(), hostile.origin(), elsewhere.origin(), hostile.origin()));

            Run run = cli("login", hostile.origin() + "/mcp", "--credentials-file", credentials.toString(), "--browser", browser.toString(),
                    "--timeout", "10");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("puts its token_endpoint on " + elsewhere.origin() + ", another origin than its own: "
                    + "refusing to send client credentials there");
            assertThat(elsewhere.requests()).isEmpty();
            assertThat(hostile.requests()).extracting(s -> s.uri().getPath()).doesNotContain("/register", "/authorize");
        }
    }

    @Test
    @Tag("SEC19-10")
    void a_100_mb_discovery_document_is_refused_at_1_mib_and_never_read_whole() throws Exception {
        long total = 100L << 20;
        AtomicLong sent = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        try (HostileHttpServer hostile = new HostileHttpServer()) {
            hostile.on("POST", "/mcp", (exchange, seen) -> {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer resource_metadata=\"" + hostile.origin() + "/prm\"");
                HostileHttpServer.send(exchange, 401, "application/json", "{}");
            });
            hostile.on("GET", "/prm", (exchange, seen) -> {
                try {
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, 0);
                    byte[] chunk = new byte[64 << 10];
                    Arrays.fill(chunk, (byte) ' ');
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write('{');
                        while (sent.get() < total) {
                            out.write(chunk);
                            sent.addAndGet(chunk.length);
                        }
                    }
                } finally {
                    done.countDown();
                }
            });

            Run run = cli("tools", "list", hostile.origin() + "/mcp", "--non-interactive", "--credentials-file", credentials.toString());

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("the answer of " + hostile.origin() + "/prm is larger than 1024 KiB: refusing to read it");
            assertThat(done.await(60, TimeUnit.SECONDS)).as("the server's writes ended").isTrue();
            assertThat(sent.get()).as("bytes the server could write before the client hung up").isLessThan(total);
        }
    }

    @Test
    @Tag("SEC19-10")
    void a_discovery_document_dripped_one_byte_a_second_is_abandoned_at_the_deadline() throws Exception {
        try (HostileHttpServer hostile = new HostileHttpServer()) {
            hostile.on("POST", "/mcp", (exchange, seen) -> {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer resource_metadata=\"" + hostile.origin() + "/prm\"");
                HostileHttpServer.send(exchange, 401, "application/json", "{}");
            });
            hostile.on("GET", "/prm", (exchange, seen) -> {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    for (int i = 0; i < 600; i++) {
                        out.write(' ');
                        out.flush();
                        Thread.sleep(1_000);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });

            CompletableFuture<Run> run = CompletableFuture.supplyAsync(() -> cli("tools", "list", hostile.origin() + "/mcp",
                    "--non-interactive", "--credentials-file", credentials.toString()));

            Run finished = run.get(90, TimeUnit.SECONDS);
            assertThat(finished.exitCode()).isEqualTo(1);
            assertThat(finished.err()).contains(hostile.origin() + "/prm did not answer completely within 15 s");
        }
    }

    @Test
    @Tag("SEC19-10")
    void terminal_control_sequences_in_tool_results_names_and_errors_are_printed_as_visible_escapes() throws Exception {
        String evil = "red \u001b[31mALERT\u001b[0m \u001b]0;owned\u0007 \u009b2J \u202Eevil\u202C \u2028 bell\u0007 cr\rover\r\nnext\tline";
        try (HostileHttpServer hostile = new HostileHttpServer()) {
            hostile.on("POST", "/mcp", (exchange, seen) -> {
                JsonNode request = JSON.readTree(seen.body());
                if (!request.has("id")) {
                    HostileHttpServer.send(exchange, 202, "application/json", "");
                    return;
                }
                ObjectNode reply = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", request.path("id").asLong());
                switch (request.path("method").asString()) {
                    case "initialize" -> reply.putObject("result").put("protocolVersion", "2025-11-25")
                            .<ObjectNode>set("capabilities", JSON.createObjectNode()).putObject("serverInfo").put("name", evil).put("version", "1");
                    case "tools/list" -> reply.putObject("result").putArray("tools").addObject().put("name", "tool\u001b[2Kname")
                            .put("description", evil);
                    case "tools/call" -> {
                        if (request.path("params").path("name").asString().equals("fail")) {
                            reply.putObject("error").put("code", -32000).put("message", evil);
                        } else {
                            reply.putObject("result").putArray("content").addObject().put("type", "text").put("text", evil);
                        }
                    }
                    default -> reply.putObject("result");
                }
                HostileHttpServer.send(exchange, 200, "application/json", reply.toString());
            });
            String url = hostile.origin() + "/mcp";
            String file = credentials.toString();

            Run call = cli("tools", "call", url, "whoami", "--credentials-file", file);
            Run list = cli("tools", "list", url, "--credentials-file", file);
            Run failed = cli("tools", "call", url, "fail", "--credentials-file", file);
            Run login = cli("login", url, "--credentials-file", file);

            assertThat(call.exitCode()).as(call.err()).isZero();
            assertThat(call.out()).contains("red \\u001B[31mALERT\\u001B[0m \\u001B]0;owned\\u0007 \\u009B2J \\u202Eevil\\u202C \\u2028 bell\\u0007",
                    "cr\\u000Dover\r\nnext\tline");
            assertThat(list.out()).contains("tool\\u001B[2Kname");
            assertThat(failed.exitCode()).isEqualTo(1);
            assertThat(failed.err()).contains("gatehouse: red \\u001B[31mALERT");
            assertThat(login.out()).contains("Logged in to red \\u001B[31mALERT");
            for (Run run : List.of(call, list, failed, login)) {
                assertThat(run.out() + run.err()).doesNotContain("\u001b", "\u0007", "\u009b", "\u202e", "\u202c", "\u2028", "cr\rover");
            }
        }
    }

    @Test
    @Tag("SEC19-11")
    void idp_check_stops_at_a_failed_issuer_check_and_sends_nothing_to_the_provider_or_the_host_it_names() throws Exception {
        try (HostileHttpServer elsewhere = new HostileHttpServer(); HostileHttpServer provider = new HostileHttpServer()) {
            provider.json("GET", "/.well-known/oauth-authorization-server", 200, """
                    {"issuer":"%s","authorization_endpoint":"%s/authorize","token_endpoint":"%s/token","registration_endpoint":"%s/register",
                     "code_challenge_methods_supported":["S256"],"grant_types_supported":["client_credentials"]}"""
                    .formatted(elsewhere.origin(), elsewhere.origin(), elsewhere.origin(), elsewhere.origin()));

            Run run = cli("idp-check", provider.origin(), "--register", "--client-id", "svc", "--client-secret", "the-client-secret",
                    "--resource", "http://127.0.0.1:9/mcp", "--json");

            assertThat(run.exitCode()).isEqualTo(1);
            JsonNode report = JSON.readTree(run.out());
            assertThat(report.path("verdict").asString()).isEqualTo("not_usable");
            assertThat(row(report, "issuer").path("result").asString()).isEqualTo("no");
            assertThat(row(report, "issuer").path("detail").asString()).contains("says " + elsewhere.origin(), "stopped here");
            assertThat(report.path("checks").findValuesAsString("id")).containsExactly("rfc8414", "oidc", "issuer");
            assertThat(elsewhere.requests()).isEmpty();
            assertThat(provider.requests()).filteredOn(s -> !s.uri().getPath().equals("/")).as("after the MCP-URL probe, only metadata GETs")
                    .allMatch(s -> s.method().equals("GET") && s.uri().getPath().contains("/.well-known/"));
            assertThat(provider.everythingReceived()).doesNotContain("the-client-secret", "Authorization");
        }
    }

    @Test
    @Tag("SEC19-11")
    void idp_check_sends_no_secret_and_no_delete_to_endpoints_on_another_origin_than_the_providers() throws Exception {
        try (HostileHttpServer elsewhere = new HostileHttpServer(); HostileHttpServer provider = new HostileHttpServer()) {
            provider.json("GET", "/.well-known/oauth-authorization-server", 200, """
                    {"issuer":"%s","authorization_endpoint":"%s/authorize","token_endpoint":"%s/token","registration_endpoint":"%s/register",
                     "code_challenge_methods_supported":["S256"],"grant_types_supported":["client_credentials"]}"""
                    .formatted(provider.origin(), provider.origin(), elsewhere.origin(), provider.origin()));
            provider.json("POST", "/register", 201, """
                    {"client_id":"public-1","registration_client_uri":"%s/clients/public-1","registration_access_token":"rat-public-1"}"""
                    .formatted(elsewhere.origin()));
            provider.json("GET", "/authorize", 400, "{\"error\":\"invalid_request\"}");

            Run run = cli("idp-check", provider.origin(), "--register", "--client-id", "svc", "--client-secret", "the-client-secret",
                    "--resource", "http://127.0.0.1:9/mcp", "--json");

            JsonNode report = JSON.readTree(run.out());
            assertThat(row(report, "rfc8707").path("result").asString()).isEqualTo("not_measured");
            assertThat(row(report, "rfc8707").path("detail").asString()).contains("another origin than the issuer's: no client secret is sent there");
            assertThat(row(report, "cleanup").path("result").asString()).isEqualTo("no");
            assertThat(row(report, "cleanup").path("detail").asString()).contains("public-1", "not on the provider's origin");
            assertThat(elsewhere.requests()).as("nothing at all reaches the other origin").isEmpty();
            assertThat(provider.requests()).filteredOn(s -> s.method().equals("POST") && !s.uri().getPath().equals("/"))
                    .as("registered only the client it needed")
                    .extracting(s -> s.uri().getPath()).containsExactly("/register");
            assertThat(provider.everythingReceived()).doesNotContain("the-client-secret", "rat-public-1", "client_credentials");
        }
    }

    @Test
    @Tag("SEC19-11")
    @Tag("SEC19-2")
    void idp_check_deletes_every_client_it_registered_at_its_own_uri_and_flags_keycloak_style_protocol_mappers() throws Exception {
        try (HostileHttpServer server = new HostileHttpServer()) {
            List<String[]> registered = new CopyOnWriteArrayList<>();
            AtomicInteger next = new AtomicInteger();
            String issuer = server.origin() + "/realms/test";
            String registrations = issuer + "/clients-registrations";
            server.json("GET", "/.well-known/oauth-authorization-server/realms/test", 200, """
                    {"issuer":"%s","authorization_endpoint":"%s/auth","token_endpoint":"%s/token",
                     "registration_endpoint":"%s/openid-connect","code_challenge_methods_supported":["S256"],
                     "grant_types_supported":["authorization_code","client_credentials","refresh_token"]}"""
                    .formatted(issuer, issuer, issuer, registrations));
            server.on("POST", "/realms/test/clients-registrations/openid-connect", (exchange, seen) -> {
                String id = "client-" + next.incrementAndGet();
                String token = "rat-" + id;
                registered.add(new String[] {"/realms/test/clients-registrations/openid-connect/" + id, token});
                boolean machine = JSON.readTree(seen.body()).path("grant_types").toString().contains("client_credentials");
                HostileHttpServer.send(exchange, 201, "application/json", """
                        {"client_id":"%s",%s"registration_client_uri":"%s/openid-connect/%s","registration_access_token":"%s"}"""
                        .formatted(id, machine ? "\"client_secret\":\"secret-" + id + "\"," : "", registrations, id, token));
            });
            server.on("POST", "/realms/test/clients-registrations/default", (exchange, seen) -> {
                JsonNode request = JSON.readTree(seen.body());
                String id = "kc-" + next.incrementAndGet();
                registered.add(new String[] {"/realms/test/clients-registrations/default/" + id, "rat-" + id});
                ObjectNode answer = JSON.createObjectNode().put("clientId", id).put("registrationAccessToken", "rat-" + id);
                answer.set("protocolMappers", request.path("protocolMappers"));
                HostileHttpServer.send(exchange, 201, "application/json", answer.toString());
            });
            server.json("GET", "/realms/test/auth", 400, "{\"error\":\"invalid_request\"}");
            server.json("POST", "/realms/test/token", 200, "{\"access_token\":\"opaque\",\"token_type\":\"Bearer\"}");
            for (String prefix : List.of("openid-connect", "default")) {
                for (int i = 1; i <= 3; i++) {
                    String id = (prefix.equals("default") ? "kc-" : "client-") + i;
                    server.on("DELETE", "/realms/test/clients-registrations/" + prefix + "/" + id, (exchange, seen) -> {
                        boolean own = seen.headers().getOrDefault("Authorization", List.of()).contains("Bearer rat-" + id);
                        HostileHttpServer.send(exchange, own ? 204 : 401, "application/json", "");
                    });
                }
            }

            Run run = cli("idp-check", issuer, "--register", "--resource", "http://127.0.0.1:9/mcp", "--json");

            JsonNode report = JSON.readTree(run.out());
            assertThat(row(report, "protocol-mappers").path("result").asString()).isEqualTo("no");
            assertThat(row(report, "protocol-mappers").path("detail").asString()).contains("accepted a client with an oidc-usermodel-attribute-mapper");
            assertThat(report.path("verdict").asString()).isEqualTo("not_usable");
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(registered).as("public client, protocol mapper probe, client_credentials client").hasSize(3);
            List<String> deletes = server.requests().stream().filter(s -> s.method().equals("DELETE"))
                    .map(s -> s.uri().getPath() + " " + s.headers().get("Authorization")).toList();
            assertThat(deletes).containsExactlyInAnyOrderElementsOf(registered.stream()
                    .map(r -> r[0] + " [Bearer " + r[1] + "]").toList());
            assertThat(row(report, "cleanup").path("result").asString()).isEqualTo("yes");
        }
    }

    private static JsonNode row(JsonNode report, String id) {
        for (JsonNode check : report.path("checks")) {
            if (check.path("id").asString().equals(id)) {
                return check;
            }
        }
        throw new AssertionError("no check " + id + " in " + report);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new java.util.HashMap<>();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            int eq = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }
}
