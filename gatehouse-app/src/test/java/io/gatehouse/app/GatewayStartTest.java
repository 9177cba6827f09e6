package io.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code gatehouse serve --upstream URL} starts without contacting the upstream, which need not be up yet. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Tag("gateway")
class GatewayStartTest {

    @Test
    void a_gateway_to_an_http_upstream_that_is_not_up_starts_and_names_it_in_health(@TempDir Path data) throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        try (RunningGatehouse gateway = RunningGatehouse.start("upstream", "http://127.0.0.1:" + closedPort + "/mcp",
                "management-port", "0", "data-dir", data.toString())) {
            JsonNode upstreams = gateway.managementHealth().path("upstreams");

            assertThat(upstreams).hasSize(1);
            assertThat(upstreams.get(0).path("name").asString()).isEqualTo("upstream");
            assertThat(upstreams.get(0).path("openSessions").asInt()).isZero();
        }
    }

    @Test
    @Tag("issue-14")
    void a_gateway_whose_upstream_just_failed_is_not_ready_but_still_live(@TempDir Path data) throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (RunningGatehouse gateway = RunningGatehouse.start("upstream", "http://127.0.0.1:" + closedPort + "/mcp",
                "management-port", "0", "data-dir", data.toString())) {
            assertThat(gateway.client().raw("GET", "/health/ready", null).status()).as("not contacted yet").isEqualTo(200);

            io.gatehouse.testkit.McpReply initialize = gateway.client().call("initialize", java.util.Map.of("protocolVersion", "2025-11-25",
                    "capabilities", java.util.Map.of(), "clientInfo", java.util.Map.of("name", "t", "version", "1")));
            assertThat(initialize.body()).contains("is unavailable");

            io.gatehouse.testkit.McpReply ready = gateway.client().raw("GET", "/health/ready", null);
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.json().toString()).isEqualTo("{\"status\":\"unavailable\"}");
            assertThat(gateway.client().raw("GET", "/health/live", null).status()).isEqualTo(200);
            assertThat(gateway.managementHealth().path("upstreams").get(0).path("state").asString()).isEqualTo("down");
        }
    }
}
