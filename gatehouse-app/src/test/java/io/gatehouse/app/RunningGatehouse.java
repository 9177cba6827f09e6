package io.gatehouse.app;

import io.gatehouse.app.config.GatehouseConfig;
import io.gatehouse.app.config.Settings;
import io.gatehouse.testkit.McpTestClient;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

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
        return new RunningGatehouse(Gatehouse.start(config));
    }

    /** The MCP URL on localhost, as clients (and the conformance suite's DNS-rebinding check) use it. */
    URI mcpUrl() {
        return URI.create("http://localhost:" + gatehouse.port() + "/mcp");
    }

    McpTestClient client() {
        return McpTestClient.to(mcpUrl());
    }

    @Override
    public void close() throws Exception {
        gatehouse.close();
    }
}
