package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.server.internal.config.ConfigException;
import io.gatehouse.testkit.ExternalProcess;
import io.gatehouse.testkit.NodeTools;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code gatehouse serve --tls-cert --tls-key}: HTTPS with HTTP/2 and HTTP/1.1 on the public port, the embedded
 * authorization server at an https issuer, and a renewed certificate served without a restart (issue 15, point 2).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("issue-15")
@Tag("interop")
class TlsTest {

    private static final String PASSWORD = "demo-password-for-tls-tests";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static Path certs;
    static SelfSignedPem first;
    static RunningGatehouse gatehouse;

    @BeforeAll
    static void start() throws Exception {
        certs = Files.createTempDirectory("gatehouse-tls");
        first = SelfSignedPem.write(certs);
        gatehouse = RunningGatehouse.start("auth", "embedded", "demo-password", PASSWORD, "tls-cert", first.certFile.toString(),
                "tls-key", first.keyFile.toString(), "data-dir", Files.createTempDirectory("gatehouse-tls-data").toString());
    }

    @AfterAll
    static void stop() throws Exception {
        gatehouse.close();
    }

    private static URI base() {
        return URI.create("https://localhost:" + gatehouse.gatehouse.port());
    }

    @Test
    void the_canonical_url_and_the_issuer_are_https() throws Exception {
        assertThat(gatehouse.gatehouse.mcpUrl()).isEqualTo(base().resolve("/mcp"));
        HttpResponse<String> metadata = http2(first.certificate).send(HttpRequest.newBuilder(
                base().resolve("/.well-known/oauth-authorization-server")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(metadata.body()).get("issuer").asString()).isEqualTo(base().toString());
    }

    @Test
    void the_typescript_sdk_client_logs_in_and_calls_a_tool_over_https() throws Exception {
        Path scripts = NodeTools.install("sdk", List.of("@modelcontextprotocol/sdk@1.32.2"));
        for (String script : List.of("browser-login.mjs", "sdk-login.mjs", "sdk-oauth-flow.mjs")) {
            Files.copy(Path.of("src/test/node", script), scripts.resolve(script), StandardCopyOption.REPLACE_EXISTING);
        }
        Path trusted = Files.createTempDirectory("gatehouse-tls-trust").resolve("ca.pem");
        Files.copy(first.certFile, trusted);
        ExternalProcess.Outcome outcome = ExternalProcess.run(List.of(NodeTools.node22().toString(),
                        scripts.resolve("sdk-oauth-flow.mjs").toString(), base().resolve("/mcp").toString(), "alice", PASSWORD),
                scripts, Map.of("NODE_EXTRA_CA_CERTS", trusted.toString()), Duration.ofMinutes(2));
        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        String[] lines = outcome.output().strip().split("\n");
        JsonNode seen = JSON.readTree(lines[lines.length - 1]);
        assertThat(seen.get("echo").asString()).isEqualTo("Hello OAuthHello OAuth");
        assertThat(seen.get("requests").toString()).contains("POST /oauth/token -> 200");
    }

    @Test
    void a_client_speaking_http2_completes_the_oauth_flow_and_calls_a_tool() throws Exception {
        HttpClient http = http2(first.certificate);
        OAuthTestDriver driver = new OAuthTestDriver(base(), http);
        String redirect = "http://127.0.0.1:43210/callback";
        String clientId = driver.register(redirect).get("client_id").asString();
        String verifier = "a-verifier-that-is-long-enough-for-pkce-0123456789";
        HttpResponse<String> page = driver.authorize(clientId, redirect, verifier, "mcp:tools");
        assertThat(page.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(page.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
        URI callback = driver.loginAndConsent(page, "alice", PASSWORD);
        JsonNode token = driver.token(Map.of("grant_type", "authorization_code", "code", OAuthTestDriver.param(callback, "code"),
                "redirect_uri", redirect, "client_id", clientId, "code_verifier", verifier, "resource", base().resolve("/mcp").toString()));
        String accessToken = token.get("access_token").asString();

        HttpResponse<String> initialized = http.send(mcp(accessToken, null, """
                {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},
                 "clientInfo":{"name":"h2","version":"1"}}}"""), HttpResponse.BodyHandlers.ofString());
        assertThat(initialized.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(initialized.statusCode()).isEqualTo(200);
        String session = initialized.headers().firstValue("Mcp-Session-Id").orElseThrow();
        http.send(mcp(accessToken, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"),
                HttpResponse.BodyHandlers.discarding());
        HttpResponse<String> called = http.send(mcp(accessToken, session, """
                {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"message":"over h2"}}}"""),
                HttpResponse.BodyHandlers.ofString());
        assertThat(called.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(called.body()).contains("over h2");
    }

    @Test
    @Tag("attack")
    void http2_keeps_the_header_size_limit() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base().resolve("/health")).header("X-Padding", "a".repeat(20_000)).build();
        int status;
        try {
            status = http2(first.certificate).send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException refusedOnTheWire) {
            status = 431; // Jetty may end the stream (HTTP/2 ENHANCE_YOUR_CALM) instead of answering
        }
        assertThat(status).isEqualTo(431);
    }

    @Test
    void a_client_offering_only_http1_is_served_http1() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(SelfSignedPem.trusting(first.certificate))
                .build();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(base().resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(health.statusCode()).isEqualTo(200);
        // the login pages' HSTS is for pages only, not for every answer
        assertThat(health.headers().firstValue("Strict-Transport-Security")).isEmpty();
    }

    @Test
    void a_replaced_certificate_is_served_without_a_restart() throws Exception {
        BigInteger before = servedCertificate(first.certificate).getSerialNumber();
        assertThat(before).isEqualTo(first.certificate.getSerialNumber());
        // a test with its own files and server: the other tests keep the first certificate
        Path dir = Files.createTempDirectory("gatehouse-tls-renew");
        SelfSignedPem old = SelfSignedPem.write(dir);
        try (RunningGatehouse renewed = RunningGatehouse.start("auth", "none", "tls-cert", old.certFile.toString(),
                "tls-key", old.keyFile.toString(), "data-dir", dir.resolve("data").toString())) {
            int port = renewed.gatehouse.port();
            assertThat(servedCertificate(port, old.certificate).getSerialNumber()).isEqualTo(old.certificate.getSerialNumber());
            SelfSignedPem next = SelfSignedPem.write(dir);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            BigInteger served = old.certificate.getSerialNumber();
            while (!served.equals(next.certificate.getSerialNumber()) && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
                served = servedCertificate(port, old.certificate, next.certificate).getSerialNumber();
            }
            assertThat(served).isEqualTo(next.certificate.getSerialNumber());
        }
    }

    @Test
    void a_pkcs12_keystore_serves_its_certificate_and_a_wrong_password_is_a_clear_startup_error(@TempDir Path dir) throws Exception {
        SelfSignedPem pem = SelfSignedPem.write(dir);
        Path keystore = pem.pkcs12("keystore-secret");
        try (RunningGatehouse server = RunningGatehouse.start(Map.of("GATEHOUSE_TLS_KEYSTORE_PASSWORD", "keystore-secret"),
                "tls-keystore", keystore.toString(), "data-dir", dir.resolve("data").toString())) {
            assertThat(servedCertificate(server.gatehouse.port(), pem.certificate)).isEqualTo(pem.certificate);
        }
        assertThatThrownBy(() -> RunningGatehouse.start(Map.of("GATEHOUSE_TLS_KEYSTORE_PASSWORD", "wrong"),
                "tls-keystore", keystore.toString(), "data-dir", dir.resolve("data").toString()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("Cannot read the TLS keystore")
                .hasMessageNotContaining("wrong").hasMessageNotContaining("keystore-secret");
    }

    @Test
    void a_key_that_does_not_belong_to_the_certificate_is_a_clear_startup_error(@TempDir Path dir) throws Exception {
        SelfSignedPem one = SelfSignedPem.write(Files.createDirectory(dir.resolve("one")));
        SelfSignedPem other = SelfSignedPem.write(Files.createDirectory(dir.resolve("other")));
        assertThatThrownBy(() -> RunningGatehouse.start("tls-cert", one.certFile.toString(), "tls-key", other.keyFile.toString(),
                "data-dir", dir.resolve("data").toString()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("does not belong to the certificate");
        assertThatThrownBy(() -> RunningGatehouse.start("tls-cert", one.certFile.toString(), "data-dir", dir.resolve("data").toString()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("needs both tls-cert");
        Files.writeString(dir.resolve("junk.pem"), "not a certificate");
        assertThatThrownBy(() -> RunningGatehouse.start("tls-cert", dir.resolve("junk.pem").toString(), "tls-key", one.keyFile.toString(),
                "data-dir", dir.resolve("data").toString()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("Cannot read the TLS certificate file");
    }

    private static HttpRequest mcp(String token, String session, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base().resolve("/mcp")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2025-11-25").POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return request.build();
    }

    private static HttpClient http2(X509Certificate trusted) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).followRedirects(HttpClient.Redirect.NEVER)
                .sslContext(SelfSignedPem.trusting(trusted)).build();
    }

    private static X509Certificate servedCertificate(X509Certificate... trusted) throws Exception {
        return servedCertificate(gatehouse.gatehouse.port(), trusted);
    }

    /** The certificate a new TLS handshake with the server presents. */
    private static X509Certificate servedCertificate(int port, X509Certificate... trusted) throws Exception {
        SSLContext context = SelfSignedPem.trusting(trusted);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", port)) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }
}
