package io.gatehouse.server.internal.downstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gatehouse.mcp.context.DownstreamToken;
import io.gatehouse.mcp.context.DownstreamTokenException;
import io.gatehouse.mcp.context.SubjectToken;
import io.gatehouse.server.internal.config.DownstreamConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The RFC 8693 client for an external provider, against a small token endpoint of the test: the request the Nimbus
 * SDK builds (grant, subject token, audience, client authentication), the issuer's metadata found, and every failure
 * (refusal, oversized or broken answer, nobody listening) a readable {@link DownstreamTokenException}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("issue-17")
@Tag("RFC8693")
class RemoteTokenSourceTest {

    record Seen(String path, String authorization, Map<String, String> form) {
    }

    final List<Seen> seen = new CopyOnWriteArrayList<>();
    HttpServer http;

    String start(Function<Seen, String[]> answer) throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", exchange -> handle(exchange, answer));
        http.start();
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    private void handle(HttpExchange exchange, Function<Seen, String[]> answer) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> form = body.isEmpty() ? Map.of() : java.util.Arrays.stream(body.split("&")).map(p -> p.split("=", 2))
                    .collect(Collectors.toMap(p -> URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                            p -> URLDecoder.decode(p.length > 1 ? p[1] : "", StandardCharsets.UTF_8)));
            Seen request = new Seen(exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("Authorization"), form);
            seen.add(request);
            String[] statusAndBody = answer.apply(request);
            byte[] bytes = statusAndBody[1].getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(Integer.parseInt(statusAndBody[0]), bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    @AfterEach
    void stop() {
        if (http != null) {
            http.stop(0);
        }
    }

    static RemoteTokenSource source(Optional<String> issuer, Optional<String> endpoint) {
        return new RemoteTokenSource(new DownstreamConfig.External(issuer.map(URI::create), endpoint.map(URI::create), "gatehouse",
                new DownstreamConfig.ClientSecret("KC_SECRET", "the-secret")), Clock.systemUTC());
    }

    @Test
    void it_sends_an_rfc_8693_request_with_client_secret_basic_to_the_endpoint_the_metadata_names() throws Exception {
        String base = start(request -> switch (request.path()) {
            case "/.well-known/oauth-authorization-server/realms/mcp" -> new String[] {"404", "{}"};
            case "/realms/mcp/.well-known/openid-configuration" -> new String[] {"200", """
                    {"issuer":"%s/realms/mcp","token_endpoint":"%s/realms/mcp/token","response_types_supported":["code"]}"""
                    .formatted(baseOf(), baseOf())};
            case "/realms/mcp/token" -> new String[] {"200", """
                    {"access_token":"downstream-token","token_type":"Bearer","expires_in":300,
                     "issued_token_type":"urn:ietf:params:oauth:token-type:access_token"}"""};
            default -> new String[] {"404", "{}"};
        });
        DownstreamToken token = source(Optional.of(base + "/realms/mcp"), Optional.empty())
                .exchange(SubjectToken.of("the-user-token"), "reports-api", Optional.of(Set.of("reports:read")));
        assertThat(token.value()).isEqualTo("downstream-token");
        assertThat(token.audience()).isEqualTo("reports-api");
        assertThat(token.expiresAt()).isBetween(java.time.Instant.now().plus(Duration.ofMinutes(4)),
                java.time.Instant.now().plus(Duration.ofMinutes(6)));
        Seen exchange = seen.getLast();
        assertThat(exchange.path()).isEqualTo("/realms/mcp/token");
        assertThat(exchange.authorization()).isEqualTo("Basic " + Base64.getEncoder().encodeToString(
                "gatehouse:the-secret".getBytes(StandardCharsets.UTF_8)));
        assertThat(exchange.form()).containsEntry("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange")
                .containsEntry("subject_token", "the-user-token")
                .containsEntry("subject_token_type", "urn:ietf:params:oauth:token-type:access_token")
                .containsEntry("audience", "reports-api").containsEntry("scope", "reports:read")
                .doesNotContainKey("client_secret");
    }

    private String baseOf() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    @Test
    @Tag("attack")
    void a_refusal_is_a_readable_error_with_the_providers_code() throws Exception {
        String base = start(request -> new String[] {"400", """
                {"error":"invalid_target","error_description":"Audience not allowed\\n\\u001b[31m"}"""});
        assertThatThrownBy(() -> source(Optional.empty(), Optional.of(base + "/token"))
                .exchange(SubjectToken.of("t"), "reports-api", Optional.empty()))
                .isInstanceOf(DownstreamTokenException.class).hasMessageContaining("invalid_target")
                .hasMessageContaining("Audience not allowed").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\u001b"));
    }

    @Test
    @Tag("attack")
    void an_oversized_answer_is_refused() throws Exception {
        String base = start(request -> new String[] {"200", "{\"access_token\":\"" + "x".repeat(70_000) + "\",\"token_type\":\"Bearer\"}"});
        assertThatThrownBy(() -> source(Optional.empty(), Optional.of(base + "/token"))
                .exchange(SubjectToken.of("t"), "reports-api", Optional.empty()))
                .isInstanceOf(DownstreamTokenException.class).hasMessageContaining("larger than");
    }

    @Test
    void a_provider_nobody_answers_at_is_a_readable_error() {
        assertThatThrownBy(() -> source(Optional.empty(), Optional.of("http://127.0.0.1:1/token"))
                .exchange(SubjectToken.of("t"), "reports-api", Optional.empty()))
                .isInstanceOf(DownstreamTokenException.class).hasMessageContaining("cannot be reached");
    }

    @Test
    @Tag("attack")
    void metadata_of_another_issuer_is_not_used() throws Exception {
        String base = start(request -> new String[] {"200", """
                {"issuer":"https://evil.example","token_endpoint":"https://evil.example/token","response_types_supported":["code"]}"""});
        assertThatThrownBy(() -> source(Optional.of(base + "/realms/mcp"), Optional.empty())
                .exchange(SubjectToken.of("t"), "reports-api", Optional.empty()))
                .isInstanceOf(DownstreamTokenException.class).hasMessageContaining("no usable metadata");
        assertThat(seen).noneMatch(s -> s.form().containsKey("subject_token"));
    }
}
