package io.gatehouse.gateway;

import io.gatehouse.testkit.NodeTools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The real upstream servers the tests use, installed from npm on first use. */
public final class TestUpstreams {

    public static final String SERVER_EVERYTHING = "@modelcontextprotocol/server-everything@2026.8.31";

    private TestUpstreams() {
    }

    public static Path node() {
        return NodeTools.node22();
    }

    /** server-everything's entry script ({@code dist/index.js}; its argument picks stdio or streamableHttp). */
    public static Path serverEverything() {
        return NodeTools.install("server-everything", List.of(SERVER_EVERYTHING))
                .resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");
    }

    public static Path resource(String name) {
        try {
            return Path.of(TestUpstreams.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A running HTTP server process bound to 127.0.0.1 on an ephemeral port. */
    public record HttpServerProcess(Process process, int port) implements AutoCloseable {
        @Override
        public void close() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** Starts server-everything in Streamable HTTP mode on 127.0.0.1 and an ephemeral port. */
    public static HttpServerProcess startServerEverythingHttp() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(node().toString(), "--require", resource("loopback-listen.cjs").toString(),
                serverEverything().toString(), "streamableHttp").redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PORT", "0");
        Process process = builder.start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null) {
                    if (line.startsWith("LISTENING ")) {
                        port.complete(Integer.parseInt(line.substring(10).trim()));
                    }
                }
            } catch (IOException e) {
                // the server ended
            }
            port.completeExceptionally(new IllegalStateException("server-everything ended before listening"));
        });
        return new HttpServerProcess(process, port.get(60, TimeUnit.SECONDS));
    }
}
