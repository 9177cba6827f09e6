package io.gatehouse.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.mcp.context.InsufficientScopeException;
import io.gatehouse.mcp.tools.Tool;
import io.gatehouse.testkit.McpReply;
import io.gatehouse.testkit.McpTestClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Review of issue 11's pipeline: what an anonymous caller, a foreign page or a careless handler can do with it. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("attack")
@Tag("T-02")
class TransportAttackTest {

    static final String FOREIGN = "https://evil.example";
    static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}";
    static ProtectedTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = ProtectedTestServer.start(List.of(
                Tool.builder("step_up_null").handler((args, ctx) -> {
                    throw new InsufficientScopeException(Set.of("mcp:deploy"), null);
                }),
                Tool.builder("step_up_unicode").handler((args, ctx) -> {
                    throw new InsufficientScopeException(Set.of("mcp:deploy"), "d\u00e9ploy \u201cprod\u201d \u2705\r\nX-Injected: 1");
                }),
                Tool.builder("step_up_odd_scope").handler((args, ctx) -> {
                    throw new InsufficientScopeException(Set.of("a\" b"), "odd");
                })));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** One raw HTTP/1.1 exchange: the path is sent exactly as given (no client-side normalisation). */
    static String rawExchange(String requestHead, String body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.http.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(requestHead.getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            try {
                while ((n = in.read(buffer)) > 0) {
                    answer.write(buffer, 0, n);
                    if (answer.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n") && complete(answer.toString(StandardCharsets.ISO_8859_1))) {
                        break;
                    }
                }
            } catch (java.net.SocketTimeoutException e) {
                // return what arrived
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static boolean complete(String answer) {
        int end = answer.indexOf("\r\n\r\n");
        String head = answer.substring(0, end).toLowerCase();
        int at = head.indexOf("content-length:");
        if (at < 0) {
            return head.contains("transfer-encoding") ? answer.endsWith("0\r\n\r\n") : true;
        }
        int length = Integer.parseInt(head.substring(at + 15, head.indexOf("\r\n", at) < 0 ? head.length() : head.indexOf("\r\n", at)).trim());
        return answer.length() - end - 4 >= length;
    }

    static int status(String answer) {
        return Integer.parseInt(answer.substring(9, 12));
    }

    @Test
    void an_unauthenticated_post_is_401_with_a_null_id_before_its_headers_or_body_are_looked_at() {
        McpReply reply = server.anonymous().raw("POST", "/mcp", PING, "Content-Type", "text/plain", "Accept", "image/png");
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.json().get("id").isNull()).isTrue();
        assertThat(reply.body()).doesNotContain("text/plain").doesNotContain("image/png");
    }

    @Test
    void an_unauthenticated_post_announcing_a_huge_body_is_answered_without_waiting_for_it() throws IOException {
        String answer = rawExchange("POST /mcp HTTP/1.1\r\nHost: localhost:" + server.http.port()
                + "\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: 1000000000\r\n\r\n", "{\"jsonrpc\"");
        assertThat(status(answer)).isEqualTo(401);
        assertThat(answer).contains("\"id\":null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/mcp/", "/mcp;x", "//mcp", "/%6Dcp", "/mcp%2F", "/./mcp", "/x/../mcp", "/MCP", "/mcp%00", "/mcp%0A",
            "/health/", "/health;x", "/oauth/token/", "/oauth/login;x", "/.well-known/oauth-protected-resource/mcp/"})
    void a_path_variant_never_reaches_an_endpoint_without_its_checks(String path) throws IOException {
        String answer = rawExchange("POST " + path + " HTTP/1.1\r\nHost: localhost:" + server.http.port()
                + "\r\nOrigin: " + FOREIGN + "\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: "
                + PING.length() + "\r\nConnection: close\r\n\r\n", PING);
        System.out.println("ATTACK path " + path + " -> " + answer.lines().findFirst().orElse("") + " ACAO="
                + answer.lines().filter(l -> l.toLowerCase().startsWith("access-control-allow-origin")).toList());
        assertThat(status(answer)).as(path).isNotIn(200, 202, 204, 500);
        assertThat(answer.toLowerCase()).as(path).doesNotContain("access-control-allow-origin: " + FOREIGN)
                .doesNotContain("access-control-allow-credentials");
    }

    @Test
    void the_login_page_refuses_a_foreign_preflight_and_never_answers_it_with_cors() {
        McpReply foreign = server.anonymous().raw("OPTIONS", "/oauth/login", null, "Origin", FOREIGN,
                "Access-Control-Request-Method", "POST");
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.header("Access-Control-Allow-Origin")).isEmpty();
        McpReply own = server.anonymous().raw("OPTIONS", "/oauth/login", null, "Origin", server.origin(),
                "Access-Control-Request-Method", "POST");
        assertThat(own.header("Access-Control-Allow-Origin")).isEmpty();
        assertThat(own.header("Access-Control-Allow-Methods")).isEmpty();
    }

    @Test
    void health_and_the_mcp_preflight_refuse_a_foreign_origin_and_nothing_sends_credentials() {
        assertThat(server.anonymous().raw("GET", "/health", null, "Origin", FOREIGN).status()).isEqualTo(403);
        McpReply preflight = server.anonymous().raw("OPTIONS", "/mcp", null, "Origin", FOREIGN, "Access-Control-Request-Method", "POST");
        assertThat(preflight.status()).isEqualTo(403);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEmpty();
        McpReply token = server.anonymous().raw("POST", "/oauth/token", "", "Origin", FOREIGN);
        assertThat(token.header("Access-Control-Allow-Credentials")).isEmpty();
    }

    @Test
    void a_method_the_mcp_endpoint_does_not_serve_is_405_without_authentication_and_without_echo() {
        McpReply reply = server.anonymous().raw("PATCHX", "/mcp", "{}");
        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.body()).doesNotContain("PATCHX");
        assertThat(reply.header("WWW-Authenticate")).isEmpty();
    }

    @Test
    void a_step_up_without_a_description_is_still_a_403_challenge_not_a_500() {
        McpReply reply = server.with("tools").initialize().call("tools/call", Map.of("name", "step_up_null", "arguments", Map.of()));
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).contains("scope=\"mcp:deploy\""));
    }

    @Test
    void a_step_up_description_with_line_breaks_and_non_latin_text_cannot_inject_a_header() {
        McpReply reply = server.with("tools").initialize().call("tools/call", Map.of("name", "step_up_unicode", "arguments", Map.of()));
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.header("X-Injected")).isEmpty();
        assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).contains("scope=\"mcp:deploy\""));
        System.out.println("ATTACK unicode step-up header: " + reply.header("WWW-Authenticate").orElse(""));
    }

    @Test
    void a_step_up_scope_with_a_quote_cannot_break_the_challenge() {
        McpReply reply = server.with("tools").initialize().call("tools/call", Map.of("name", "step_up_odd_scope", "arguments", Map.of()));
        assertThat(reply.status()).isEqualTo(403);
        System.out.println("ATTACK odd scope header: " + reply.header("WWW-Authenticate").orElse(""));
        assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).contains("scope=\"a\\\" b\""));
    }

    @Test
    void an_unauthenticated_get_and_delete_are_401_before_the_session_is_looked_up() {
        McpTestClient anonymous = server.anonymous();
        assertThat(anonymous.raw("GET", "/mcp", null, "Accept", "text/event-stream", "Mcp-Session-Id", "x").status()).isEqualTo(401);
        assertThat(anonymous.raw("DELETE", "/mcp", null, "Mcp-Session-Id", "x").status()).isEqualTo(401);
    }
}
