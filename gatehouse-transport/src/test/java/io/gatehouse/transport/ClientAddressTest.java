package io.gatehouse.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.internal.server.McpServer;
import io.gatehouse.testkit.McpTestClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The client address the authorization server's per-address limits count: behind trusted proxies (issue 14's load
 * balancer) the nearest untrusted address of {@code X-Forwarded-For}; otherwise the peer, whatever the header says.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("issue-14")
class ClientAddressTest {

    /** Routes that remember the address of the last request they were given. */
    static final class RecordingRoutes implements OAuthEndpoints {
        final AtomicReference<String> from = new AtomicReference<>();

        @Override
        public Optional<OAuthResponse> handle(OAuthRequest request) {
            from.set(request.remoteAddress());
            return Optional.of(new OAuthResponse(200, Map.of("Content-Type", "application/json"), List.of(),
                    "{}".getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public OAuthResponse malformedRequest(String path) {
            return new OAuthResponse(400, Map.of(), List.of(), new byte[0]);
        }

        @Override
        public boolean owns(String path) {
            return path.startsWith("/oauth/");
        }

        @Override
        public boolean isCrossOrigin(String path) {
            return true;
        }
    }

    private static String seenFrom(List<String> trustedProxies, String... forwardedFor) throws Exception {
        RecordingRoutes routes = new RecordingRoutes();
        TransportConfig d = TransportConfig.defaults();
        TransportConfig config = new TransportConfig(d.host(), 0, d.mcpPath(), Optional.empty(), d.sessionMode(), d.allowedOrigins(),
                d.allowedHosts(), d.maxRequestBytes(), d.maxHeaderBytes(), d.sseKeepAlive(), d.sseIdleTimeout(), d.idleTimeout(),
                d.shutdownDrain(), Optional.empty(), trustedProxies);
        GatehouseHttpServer http = new GatehouseHttpServer(McpServer.builder("test", "1").build(), config, Json.object(),
                url -> new Security(Optional.empty(), Optional.of(routes)));
        http.start();
        try {
            McpTestClient client = McpTestClient.to(http.mcpUri());
            if (forwardedFor.length == 0) {
                assertThat(client.raw("GET", "/oauth/x", null).status()).isEqualTo(200);
            } else {
                assertThat(client.raw("GET", "/oauth/x", null, "X-Forwarded-For", String.join(", ", forwardedFor)).status()).isEqualTo(200);
            }
            return routes.from.get();
        } finally {
            http.stop();
        }
    }

    @Test
    @Tag("attack")
    void without_trusted_proxies_the_header_is_ignored_whatever_it_says() throws Exception {
        assertThat(seenFrom(List.of(), "203.0.113.7")).isEqualTo("127.0.0.1");
    }

    @Test
    void behind_a_trusted_proxy_the_client_is_the_address_it_forwarded() throws Exception {
        assertThat(seenFrom(List.of("127.0.0.1"), "203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(seenFrom(List.of("127.0.0.0/8"))).as("no header: the proxy itself").isEqualTo("127.0.0.1");
        assertThat(seenFrom(List.of("127.0.0.1"), "[2001:db8::1]")).isEqualTo("2001:db8:0:0:0:0:0:1");
    }

    @Test
    @Tag("attack")
    void a_client_cannot_choose_its_address_by_writing_the_header_itself() throws Exception {
        // the client wrote 198.51.100.1; its proxy appended the real address, then an inner trusted proxy its own
        assertThat(seenFrom(List.of("127.0.0.1", "10.0.0.0/8"), "198.51.100.1", "203.0.113.7", "10.1.2.3")).isEqualTo("203.0.113.7");
        // something that is not an address ends the walk at the last trusted hop: one bucket, never a fresh one per value
        assertThat(seenFrom(List.of("127.0.0.1"), "203.0.113.7", "not-an-address")).isEqualTo("127.0.0.1");
        assertThat(seenFrom(List.of("127.0.0.1"), "localhost")).isEqualTo("127.0.0.1");
    }

    @Test
    void an_entry_that_is_no_address_block_or_range_is_refused() {
        assertThatThrownBy(() -> new ClientAddress(List.of("10.0.0.0/8", "proxy.example.com/99")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'proxy.example.com/99'");
    }
}
