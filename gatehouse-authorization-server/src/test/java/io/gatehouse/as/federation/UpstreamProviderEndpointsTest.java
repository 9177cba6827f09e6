package io.gatehouse.as.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Attack review, issue 18: a discovery document (a provider behind a TLS proxy that advertises http:// URLs, or one
 * tampered with) must not make Gatehouse send its client secret, codes or tokens in clear text, nor take keys from a
 * plain-http JWKS: every endpoint Gatehouse uses is https (http only on a loopback host, as the issuer itself).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("issue-18")
@Tag("attack")
class UpstreamProviderEndpointsTest {

    HttpServer server;
    volatile Map<String, String> endpoints = Map.of();
    /** How many bytes the endless token endpoint wrote before the client hung up, once it did (-1 before). */
    final java.util.concurrent.atomic.AtomicLong tokenBytesWritten = new java.util.concurrent.atomic.AtomicLong(-1);
    static final long ENDLESS = 32L * 1024 * 1024;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                if (exchange.getRequestURI().getPath().equals("/.well-known/openid-configuration")) {
                    StringBuilder json = new StringBuilder("{\"issuer\":\"" + issuer() + "\",\"response_types_supported\":[\"code\"],"
                            + "\"subject_types_supported\":[\"public\"],\"id_token_signing_alg_values_supported\":[\"RS256\"]");
                    endpoints.forEach((name, value) -> json.append(",\"").append(name).append("\":\"").append(value).append('"'));
                    byte[] body = json.append('}').toString().getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                } else if (exchange.getRequestURI().getPath().equals("/token")) {
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, 0);
                    byte[] chunk = " ".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
                    long written = 0;
                    try {
                        exchange.getResponseBody().write('{');
                        while (written < ENDLESS) {
                            exchange.getResponseBody().write(chunk);
                            written += chunk.length;
                        }
                        exchange.getResponseBody().write('}');
                    } catch (IOException hungUp) {
                        // the client stopped reading
                    }
                    tokenBytesWritten.set(written);
                } else {
                    exchange.sendResponseHeaders(404, -1);
                }
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    UpstreamProvider provider() {
        FederationSettings settings = new FederationSettings(URI.create(issuer()), "gatehouse",
                new ClientAuthentication.SharedSecret("client_secret_basic", "upstream-secret"), FederationSettings.DEFAULT_SCOPES,
                new ClaimMapping("preferred_username", "email", "roles"), Duration.ofMinutes(5));
        return new UpstreamProvider(settings, ClientKey.none(), Clock.systemUTC());
    }

    Map<String, String> endpoints(String base) {
        return Map.of("authorization_endpoint", base + "/authorize", "token_endpoint", base + "/token",
                "userinfo_endpoint", base + "/userinfo", "jwks_uri", base + "/jwks", "end_session_endpoint", base + "/logout");
    }

    @Test
    void a_discovery_document_on_loopback_or_https_is_used() {
        endpoints = endpoints(issuer());

        assertThat(provider().reachable()).isTrue();
    }

    @Test
    void a_plain_http_endpoint_on_another_host_in_the_discovery_document_is_refused_before_anything_is_sent() {
        for (String name : List.of("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri", "end_session_endpoint")) {
            Map<String, String> tampered = new java.util.HashMap<>(endpoints(issuer()));
            tampered.put(name, "http://sso.example.com/realms/company/" + name);
            endpoints = tampered;
            UpstreamProvider provider = provider();

            assertThat(provider.reachable()).as(name).isFalse();
            assertThatThrownBy(() -> provider.exchange("code", URI.create("http://localhost:9000/oauth/login/callback"), "v".repeat(43), "n"))
                    .as(name).isInstanceOf(UpstreamProvider.Unavailable.class);
        }
    }

    @Test
    void a_huge_answer_of_the_token_endpoint_is_not_read_beyond_a_bound() throws Exception {
        endpoints = endpoints(issuer());
        UpstreamProvider provider = provider();

        assertThatThrownBy(() -> provider.exchange("code", URI.create("http://localhost:9000/oauth/login/callback"), "v".repeat(43), "n"))
                .isInstanceOf(UpstreamProvider.Unavailable.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (tokenBytesWritten.get() < 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(tokenBytesWritten.get()).isBetween(0L, ENDLESS / 2);
    }
}
