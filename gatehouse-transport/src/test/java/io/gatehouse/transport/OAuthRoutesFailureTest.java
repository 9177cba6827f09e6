package io.gatehouse.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.mcp.internal.json.Json;
import io.gatehouse.mcp.internal.server.McpServer;
import io.gatehouse.testkit.McpReply;
import io.gatehouse.testkit.McpTestClient;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * How the transport answers for OAuth routes: a form that is not percent-encoded UTF-8 is the client's mistake (400
 * from the routes, which never see it), a failure inside the routes is a bug (500, OAuth {@code server_error}).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OAuthRoutesFailureTest {

    /** Routes under /oauth/ that fail with a bug, and count the requests they were given. */
    static class FailingRoutes implements OAuthEndpoints {
        final AtomicInteger handled = new AtomicInteger();

        @Override
        public Optional<OAuthResponse> handle(OAuthRequest request) {
            handled.incrementAndGet();
            throw new IllegalStateException("a bug with secret detail");
        }

        @Override
        public OAuthResponse malformedRequest(String path) {
            return new OAuthResponse(400, java.util.Map.of("Content-Type", "application/json"), java.util.List.of(),
                    "{\"error\":\"invalid_request\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
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

    @Test
    void a_bug_in_the_routes_is_a_500_server_error_and_a_malformed_form_a_400_the_routes_never_see() throws Exception {
        FailingRoutes routes = new FailingRoutes();
        GatehouseHttpServer http = new GatehouseHttpServer(McpServer.builder("test", "1").build(), TransportConfig.defaults().withPort(0),
                Json.object(), url -> new Security(Optional.empty(), Optional.of(routes)));
        http.start();
        try {
            McpTestClient client = McpTestClient.to(http.mcpUri());
            McpReply failed = client.raw("POST", "/oauth/token", "grant_type=x", "Content-Type", "application/x-www-form-urlencoded");
            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.body()).isEqualTo("{\"error\":\"server_error\"}");
            assertThat(routes.handled).hasValue(1);

            McpReply malformed = client.raw("POST", "/oauth/token", "grant_type=%zz", "Content-Type", "application/x-www-form-urlencoded");
            assertThat(malformed.status()).isEqualTo(400);
            assertThat(malformed.json().path("error").asString()).isEqualTo("invalid_request");
            assertThat(malformed.body()).doesNotContain("%zz");
            assertThat(routes.handled).as("the routes never see an undecodable request").hasValue(1);
        } finally {
            http.stop();
        }
    }

    @Test
    void a_store_the_endpoints_cannot_reach_is_a_503_the_client_may_retry() throws Exception {
        OAuthEndpoints unreachable = new FailingRoutes() {
            @Override
            public Optional<OAuthResponse> handle(OAuthRequest request) {
                throw new StorageUnavailableException("connection refused to db.internal:5432", null);
            }
        };
        GatehouseHttpServer http = new GatehouseHttpServer(McpServer.builder("test", "1").build(), TransportConfig.defaults().withPort(0),
                Json.object(), url -> new Security(Optional.empty(), Optional.of(unreachable)));
        http.start();
        try {
            McpReply reply = McpTestClient.to(http.mcpUri()).raw("POST", "/oauth/token", "grant_type=x",
                    "Content-Type", "application/x-www-form-urlencoded");
            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.header("Retry-After")).contains(String.valueOf(HttpReplies.STORE_RETRY_AFTER_SECONDS));
            assertThat(reply.json().path("error").asString()).isEqualTo("temporarily_unavailable");
            assertThat(reply.body()).doesNotContain("db.internal");
        } finally {
            http.stop();
        }
    }
}
