package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 finding 8, performed against a running Gatehouse: requests that are not correctly percent-encoded UTF-8,
 * or that carry NUL bytes, odd header bytes or overlong values, sent as raw HTTP/1.1 bytes (an HTTP client would
 * refuse to send most of them). Each is the client's mistake: a 4xx with a fixed body that repeats nothing it sent,
 * and no ERROR line (no stack trace) in the log.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("attack")
@Tag("SEC10-8")
class MalformedRequestAttackTest {

    /** Bytes no correct request carries; none of them may come back in an answer. */
    private static final List<String> ECHO_MARKERS = List.of("%zz", "%e0", "%E0", "%C0", "%c0", "%ff", "zzmarker");

    @TempDir
    Path temp;

    /** One raw answer: status line, headers (lower-case names) and body. */
    private record Answer(int status, String head, String body) {

        String contentType() {
            return head.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("content-type:"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim().toLowerCase(Locale.ROOT)).findFirst().orElse("");
        }
    }

    /** Writes {@code head} (CRLF line ends added; Host and Connection: close appended) and {@code body}, reads the answer. */
    static Answer send(int port, String requestLine, List<String> headers, byte[] body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.write((requestLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            request.write(("Host: localhost:" + port + "\r\nConnection: close\r\n").getBytes(StandardCharsets.ISO_8859_1));
            for (String header : headers) {
                request.write((header + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            if (body.length > 0) {
                request.write(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            request.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            request.write(body);
            OutputStream out = socket.getOutputStream();
            out.write(request.toByteArray());
            out.flush();
            String text = new String(readAll(socket.getInputStream()), StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end);
            String rest = end < 0 ? "" : text.substring(end + 4);
            int status = Integer.parseInt(head.substring(9, 12));
            return new Answer(status, head, rest);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    static Answer get(int port, String target, String... headers) throws IOException {
        return send(port, "GET " + target + " HTTP/1.1", List.of(headers), new byte[0]);
    }

    static Answer postForm(int port, String path, byte[] body) throws IOException {
        return send(port, "POST " + path + " HTTP/1.1", List.of("Content-Type: application/x-www-form-urlencoded"), body);
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static void assertRefusedWithoutEcho(Answer answer, String what) {
        assertThat(answer.status()).as(what + " status; body: " + answer.body()).isBetween(400, 499);
        assertThat(answer.body()).as(what + " body").doesNotContain("Exception", "\tat ", "Internal error");
        for (String marker : ECHO_MARKERS) {
            assertThat(answer.body()).as(what + " echoes its input").doesNotContain(marker);
        }
    }

    static void assertOAuthInvalidRequest(Answer answer, String what) {
        assertRefusedWithoutEcho(answer, what);
        assertThat(answer.status()).as(what).isEqualTo(400);
        assertThat(answer.contentType()).as(what).startsWith("application/json");
        assertThat(answer.body()).as(what).contains("\"error\":\"invalid_request\"");
    }

    static void assertErrorPage(Answer answer, String what) {
        assertRefusedWithoutEcho(answer, what);
        assertThat(answer.status()).as(what).isEqualTo(400);
        assertThat(answer.contentType()).as(what).startsWith("text/html");
        assertThat(answer.body()).as(what).contains("<h1>Invalid request</h1>");
        assertThat(answer.head()).as(what).containsIgnoringCase("X-Frame-Options: DENY");
    }

    static void assertNoErrorLogged(CapturedLog log) {
        assertThat(log.text().lines()).as("log").noneMatch(line -> line.contains(" ERROR "))
                .noneMatch(line -> line.startsWith("\tat ") || line.contains("IllegalArgumentException"));
    }

    @Test
    void malformed_percent_encoding_and_invalid_utf8_on_the_authorization_server_are_400_without_an_error_in_the_log() throws Exception {
        try (CapturedLog log = new CapturedLog();
             RunningGatehouse gatehouse = RunningGatehouse.start("auth", "embedded", "demo-password", "demo-pw-malformed",
                     "data-dir", temp.resolve("data").toString())) {
            int port = gatehouse.gatehouse.port();

            // browser endpoints: the error page
            assertErrorPage(get(port, "/oauth/authorize?client_id=%zz"), "authorize, bad percent-encoding");
            assertErrorPage(get(port, "/oauth/authorize?client_id=%e0%80"), "authorize, truncated UTF-8");
            assertErrorPage(get(port, "/oauth/authorize?client_id=%C0%AF&state=zzmarker"), "authorize, overlong UTF-8");
            assertErrorPage(get(port, "/oauth/authorize?%zz=x"), "authorize, bad parameter name");
            assertErrorPage(postForm(port, "/oauth/authorize", ascii("client_id=%zz")), "authorize POST");
            assertErrorPage(postForm(port, "/oauth/login", ascii("request=%C0%AF")), "login, overlong UTF-8");
            assertErrorPage(postForm(port, "/oauth/login", ascii("request=x&username=%zz&password=zzmarker")), "login, bad username");
            assertErrorPage(postForm(port, "/oauth/login", new byte[] {'r', 'e', 'q', '=', (byte) 0xC0, (byte) 0xAF}),
                    "login, raw invalid UTF-8 body");
            assertErrorPage(postForm(port, "/oauth/consent", ascii("request=%ff&csrf=zzmarker")), "consent");
            assertErrorPage(send(port, "POST /oauth/login?%zz HTTP/1.1", List.of("Content-Type: application/x-www-form-urlencoded"),
                    ascii("request=x")), "login, bad query");

            // JSON endpoints: OAuth invalid_request
            assertOAuthInvalidRequest(postForm(port, "/oauth/token", ascii("grant_type=%zz")), "token");
            assertOAuthInvalidRequest(postForm(port, "/oauth/token", ascii("grant_type=authorization_code&code=%e0%80")), "token, bad UTF-8");
            assertOAuthInvalidRequest(postForm(port, "/oauth/revoke", ascii("token=%zz")), "revoke");
            assertOAuthInvalidRequest(postForm(port, "/oauth/introspect", ascii("token=%C0%AF")), "introspect");
            assertOAuthInvalidRequest(get(port, "/.well-known/oauth-authorization-server?a=%e0%80"), "AS metadata");
            assertOAuthInvalidRequest(get(port, "/.well-known/openid-configuration?a=%zz"), "OIDC metadata");
            assertOAuthInvalidRequest(get(port, "/oauth/jwks?%zz"), "JWKS");
            assertOAuthInvalidRequest(send(port, "POST /oauth/register?a=%zz HTTP/1.1", List.of("Content-Type: application/json"),
                    ascii("{}")), "register, bad query");

            // decoded NUL bytes and invalid UTF-8 in JSON are refused as well, as the parameters' own errors
            assertRefusedWithoutEcho(get(port, "/oauth/authorize?client_id=%00&redirect_uri=http://127.0.0.1/%00"), "authorize NUL");
            assertRefusedWithoutEcho(postForm(port, "/oauth/token",
                    ascii("grant_type=authorization_code&code=%00&redirect_uri=%00&client_id=%00&code_verifier=%00")), "token NUL");
            assertRefusedWithoutEcho(postForm(port, "/oauth/token", ascii("grant_type=%00")), "token NUL grant");
            assertRefusedWithoutEcho(postForm(port, "/oauth/token", ascii("grant_type=client_credentials&scope=%00")), "token NUL scope");
            assertRefusedWithoutEcho(send(port, "POST /oauth/register HTTP/1.1", List.of("Content-Type: application/json"),
                    new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'}), "register, invalid UTF-8 JSON");
            assertRefusedWithoutEcho(send(port, "POST /oauth/register HTTP/1.1", List.of("Content-Type: application/json"),
                    ascii("{\"client_name\":\"a\\u0000\",\"redirect_uris\":[\"http://127.0.0.1/\\u0000\"]}")), "register, NUL");
            assertRefusedWithoutEcho(postForm(port, "/oauth/login", ascii("request=%00&username=%00&password=%00")), "login NUL");
            assertRefusedWithoutEcho(send(port, "POST /oauth/login HTTP/1.1", List.of("Content-Type: application/x-www-form-urlencoded",
                    "Cookie: gatehouse_session=\u00ff\u00c0zz; other=%zz"), ascii("request=x")), "login, odd cookie");

            // overlong values
            assertRefusedWithoutEcho(get(port, "/oauth/authorize?client_id=" + "a".repeat(20_000)), "authorize, overlong URI");
            assertRefusedWithoutEcho(postForm(port, "/oauth/token", ascii("grant_type=" + "%41".repeat(30_000))), "token, long body");

            assertNoErrorLogged(log);
        }
    }

    @Test
    void the_mcp_endpoint_metadata_and_health_answer_odd_bytes_with_4xx_or_ignore_the_query() throws Exception {
        try (CapturedLog log = new CapturedLog();
             RunningGatehouse gatehouse = RunningGatehouse.start("auth", "embedded", "demo-password", DataAtRestAndLogAttackTest.PASSWORD,
                     "data-dir", temp.resolve("data").toString(), "management-port", "0")) {
            int port = gatehouse.gatehouse.port();
            String bearer = "Authorization: Bearer " + DataAtRestAndLogAttackTest.aliceToken(gatehouse);
            String json = "Content-Type: application/json";
            String accept = "Accept: application/json, text/event-stream";
            byte[] ping = ascii("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}");

            assertRefusedWithoutEcho(send(port, "POST /mcp?x=%zz HTTP/1.1", List.of(json, accept), ping), "mcp anonymous, bad query");
            assertRefusedWithoutEcho(send(port, "POST /mcp HTTP/1.1", List.of(json, accept, bearer),
                    new byte[] {'{', '"', 'j', 's', 'o', 'n', 'r', 'p', 'c', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'}),
                    "mcp, invalid UTF-8 JSON");
            assertRefusedWithoutEcho(send(port, "POST /mcp HTTP/1.1", List.of(json, accept, bearer, "Mcp-Session-Id: \u00ff\u00c0zz%zz"), ping),
                    "mcp, odd session id");
            assertRefusedWithoutEcho(send(port, "POST /mcp HTTP/1.1", List.of(json, accept, bearer, "Mcp-Session-Id: " + "a".repeat(6000)),
                    ping), "mcp, overlong session id");
            assertRefusedWithoutEcho(send(port, "POST /mcp HTTP/1.1", List.of(json, accept, bearer, "MCP-Protocol-Version: \u00c3\u00a9%zz"),
                    ping), "mcp, odd protocol version");
            assertRefusedWithoutEcho(send(port, "POST /mcp HTTP/1.1", List.of(json, accept, bearer, "Mcp-Session-Id: a\u0000b"), ping),
                    "mcp, NUL in a header");
            assertRefusedWithoutEcho(send(port, "GET /mcp?%zz HTTP/1.1", List.of("Accept: text/event-stream", bearer,
                    "Mcp-Session-Id: %zz"), new byte[0]), "mcp GET");
            assertRefusedWithoutEcho(send(port, "DELETE /mcp HTTP/1.1", List.of(bearer, "Mcp-Session-Id: \u00ff"), new byte[0]), "mcp DELETE");
            assertRefusedWithoutEcho(get(port, "/mcp%zz"), "bad path encoding");
            assertRefusedWithoutEcho(get(port, "/%C0%AF/mcp"), "overlong path encoding");
            assertRefusedWithoutEcho(get(port, "/nowhere?%zz"), "unknown path");
            assertRefusedWithoutEcho(get(port, "/mcp?" + "a".repeat(20_000)), "overlong query");

            // documents and health read no query: a malformed one changes nothing, and nothing fails
            assertThat(get(port, "/.well-known/oauth-protected-resource?a=%zz").status()).isEqualTo(200);
            assertThat(get(port, "/.well-known/oauth-protected-resource/mcp?a=%e0%80").status()).isEqualTo(200);
            assertThat(get(port, "/health?a=%zz%C0%AF").status()).isEqualTo(200);
            assertRefusedWithoutEcho(send(port, "POST /health?%zz HTTP/1.1", List.of(), ascii("%zz")), "POST /health");

            int management = gatehouse.gatehouse.managementPort().orElseThrow();
            Answer details = send(management, "GET /health?a=%zz HTTP/1.1", List.of(), new byte[0]);
            assertThat(details.status()).isEqualTo(200);
            assertRefusedWithoutEcho(get(management, "/health%zz"), "management, bad path");
            assertRefusedWithoutEcho(get(management, "/other?%C0%AF"), "management, other path");
            assertRefusedWithoutEcho(send(management, "GET /health HTTP/1.1", List.of("X-Odd: a\u0000b"), new byte[0]),
                    "management, NUL header");

            assertNoErrorLogged(log);
        }
    }

    @Test
    void the_bridge_answers_malformed_registration_requests_with_400() throws Exception {
        try (JwksServer idp = new JwksServer(); CapturedLog log = new CapturedLog();
             RunningGatehouse bridge = RunningGatehouse.start("auth", "external", "issuer", JwksServer.ISSUER,
                     "jwks-url", idp.jwksUrl(), "bridge", "true")) {
            int port = bridge.gatehouse.port();
            assertOAuthInvalidRequest(send(port, "POST /oauth/register?a=%zz HTTP/1.1", List.of("Content-Type: application/json"),
                    ascii("{}")), "bridge register, bad query");
            assertOAuthInvalidRequest(send(port, "POST /oauth/register HTTP/1.1", List.of("Content-Type: application/x-www-form-urlencoded"),
                    ascii("a=%e0%80")), "bridge register, bad form");
            assertOAuthInvalidRequest(get(port, "/.well-known/oauth-authorization-server?a=%C0%AF"), "bridge metadata");
            assertNoErrorLogged(log);
        }
    }
}
