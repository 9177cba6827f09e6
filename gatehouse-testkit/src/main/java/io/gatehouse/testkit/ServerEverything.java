package io.gatehouse.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The MCP reference server {@code @modelcontextprotocol/server-everything}, at a pinned version, installed from npm
 * on first use: the real upstream of the gateway tests, over stdio or Streamable HTTP.
 */
public final class ServerEverything {

    public static final String PACKAGE = "@modelcontextprotocol/server-everything@2026.8.31";

    private ServerEverything() {
    }

    /** The entry script ({@code dist/index.js}; its argument picks {@code stdio} or {@code streamableHttp}). */
    public static Path entryScript() {
        return NodeTools.install("server-everything", List.of(PACKAGE))
                .resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");
    }

    /** The {@code dist/docs} directory: its instructions ({@code instructions.md}) and its static document resources. */
    public static Path docs() {
        return entryScript().resolveSibling("docs");
    }

    /** The command that runs it as a stdio server, with Node 22. */
    public static List<String> stdioCommand() {
        return List.of(NodeTools.node22().toString(), entryScript().toString(), "stdio");
    }

    /** A running HTTP server process bound to 127.0.0.1 on an ephemeral port. */
    public record HttpProcess(Process process, int port) implements AutoCloseable {

        /** Its MCP endpoint. */
        public URI mcpUrl() {
            return URI.create("http://127.0.0.1:" + port + "/mcp");
        }

        @Override
        public void close() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** Starts it in Streamable HTTP mode on 127.0.0.1 and an ephemeral port. */
    public static HttpProcess startHttp() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(NodeTools.node22().toString(), "--require", loopbackPreload().toString(),
                entryScript().toString(), "streamableHttp").redirectOutput(ProcessBuilder.Redirect.DISCARD);
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
        try {
            return new HttpProcess(process, port.get(60, TimeUnit.SECONDS));
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /**
     * A script to preload ({@code node --require}) into a Node HTTP server under test: every {@code listen(port)}
     * binds 127.0.0.1 only, and the port actually bound is printed to stderr as {@code LISTENING <port>}, so a test
     * can start it on an ephemeral one ({@code PORT=0}).
     */
    public static Path loopbackPreload() {
        try (InputStream in = ServerEverything.class.getResourceAsStream("loopback-listen.cjs")) {
            if (in == null) {
                throw new IllegalStateException("loopback-listen.cjs is missing from the testkit");
            }
            Path file = Files.createTempFile("gatehouse-loopback-listen", ".cjs");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
