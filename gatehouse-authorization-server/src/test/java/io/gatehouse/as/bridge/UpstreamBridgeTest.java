package io.gatehouse.as.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.as.web.AsRequest;
import io.gatehouse.as.web.AsResponse;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The bridge's own answers; the relay to a real Keycloak is in the app's KeycloakTest. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class UpstreamBridgeTest {

    static AsRequest request(String method, String path, String body) {
        return new AsRequest(method, path, Map.of(), Map.of(), Map.of(), Map.of(), body.getBytes(StandardCharsets.UTF_8), "127.0.0.1");
    }

    static UpstreamBridge bridgeTo(URI issuer) {
        return new UpstreamBridge(issuer, URI.create("http://localhost:9000"), Duration.ofMinutes(5), Clock.systemUTC());
    }

    @Test
    void it_owns_only_the_metadata_and_registration_paths_and_answers_them_cross_origin() {
        UpstreamBridge bridge = bridgeTo(URI.create("http://127.0.0.1:1/realms/x"));
        for (String path : new String[] {"/.well-known/oauth-authorization-server", "/.well-known/openid-configuration", "/oauth/register"}) {
            assertThat(bridge.owns(path)).as(path).isTrue();
            assertThat(bridge.isCrossOrigin(path)).as(path).isTrue();
        }
        assertThat(bridge.owns("/oauth/token")).isFalse();
        assertThat(bridge.owns("/oauth/authorize")).isFalse();
        assertThat(bridge.handle(request("POST", "/oauth/token", ""))).isEmpty();
    }

    @Test
    void a_wrong_method_is_405_with_allow() {
        AsResponse answer = bridgeTo(URI.create("http://127.0.0.1:1/realms/x")).handle(request("GET", "/oauth/register", "")).orElseThrow();
        assertThat(answer.status()).isEqualTo(405);
        assertThat(answer.headers()).containsEntry("Allow", "POST");
    }

    @Test
    void an_unreachable_upstream_is_502_temporarily_unavailable_not_a_client_error() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        UpstreamBridge bridge = bridgeTo(URI.create("http://127.0.0.1:" + closed + "/realms/x"));
        for (AsRequest request : new AsRequest[] {request("GET", "/.well-known/oauth-authorization-server", ""),
                request("POST", "/oauth/register", "{\"redirect_uris\":[\"http://127.0.0.1/cb\"]}")}) {
            AsResponse answer = bridge.handle(request).orElseThrow();
            assertThat(answer.status()).isEqualTo(502);
            assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("temporarily_unavailable").doesNotContain(String.valueOf(closed));
        }
    }
}
