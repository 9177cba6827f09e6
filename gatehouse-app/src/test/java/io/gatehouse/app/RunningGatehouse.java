package io.gatehouse.app;

import io.gatehouse.app.demo.DemoServer;
import io.gatehouse.server.internal.Gatehouse;
import io.gatehouse.server.internal.config.GatehouseConfig;
import io.gatehouse.server.internal.config.Settings;
import io.gatehouse.testkit.McpReply;
import io.gatehouse.testkit.McpTestClient;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** A real Gatehouse, configured as a user would configure it (settings by key), on a free loopback port. */
final class RunningGatehouse implements AutoCloseable {

    final Gatehouse gatehouse;

    private RunningGatehouse(Gatehouse gatehouse) {
        this.gatehouse = gatehouse;
    }

    /** Starts with the given settings (e.g. {@code "fixtures", "conformance"}) on port 0; authentication off unless given. */
    static RunningGatehouse start(String... keyValues) throws Exception {
        return start(Map.of(), keyValues);
    }

    /** The same with these environment variables (e.g. the ones a config file's {@code client-secret-env} names). */
    static RunningGatehouse start(Map<String, String> environment, String... keyValues) throws Exception {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("port", "0");
        flags.put("auth", "none");
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            flags.put(keyValues[i], keyValues[i + 1]);
        }
        Optional<Path> configFile = Optional.ofNullable(flags.remove("config")).map(Path::of);
        Optional<Path> envFile = Optional.ofNullable(flags.remove("env")).map(Path::of);
        if (envFile.isPresent() && !java.util.Arrays.asList(keyValues).contains("auth")) {
            flags.remove("auth");
        }
        GatehouseConfig config = GatehouseConfig.from(Settings.load(configFile, envFile, environment, flags));
        return new RunningGatehouse(Gatehouse.start(config, DemoServer.features(config)));
    }

    /** The MCP URL on localhost, as clients (and the conformance suite's DNS-rebinding check) use it. */
    URI mcpUrl() {
        return URI.create("http://localhost:" + gatehouse.port() + "/mcp");
    }

    McpTestClient client() {
        return McpTestClient.to(mcpUrl());
    }

    /**
     * The detailed {@code /health} of the management listener (start with {@code "management-port", "0"}), ready
     * (200) or not (503: an upstream just failed, the store is down).
     */
    JsonNode managementHealth() {
        int port = gatehouse.managementPort().orElseThrow(() -> new IllegalStateException("started without management-port"));
        McpReply reply = McpTestClient.to(URI.create("http://127.0.0.1:" + port + "/health")).raw("GET", "/health", null);
        if (reply.status() != 200 && reply.status() != 503) {
            throw new IllegalStateException("management /health answered " + reply.status() + " " + reply.body());
        }
        return reply.json();
    }

    @Override
    public void close() throws Exception {
        gatehouse.close();
    }
}
