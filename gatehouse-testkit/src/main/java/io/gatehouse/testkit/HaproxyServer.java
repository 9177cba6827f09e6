package io.gatehouse.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy for tests, from Debian's package: installed with apt-get when missing, run in the foreground with
 * a given configuration file whose addresses come from environment variables (HAProxy expands {@code "${NAME}"}
 * in its configuration), listening on 127.0.0.1 on a free port, stopped on {@link #close()}. The configuration is
 * copied to a temporary directory, with HAProxy's output beside it; a failure to start shows that output.
 */
public final class HaproxyServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path dir;
    private final int port;

    private HaproxyServer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /**
     * Starts HAProxy with {@code config} and these environment variables, which must make it listen on
     * {@code 127.0.0.1:port} (e.g. a free one from {@link #freePort()}); returns once that port accepts connections.
     */
    public static HaproxyServer start(Path config, int port, Map<String, String> environment) throws IOException {
        Path binary = binary().orElseGet(() -> {
            install();
            return binary().orElseThrow(() -> new IllegalStateException("HAProxy is still missing after apt-get install"));
        });
        Path dir = Files.createTempDirectory("gatehouse-haproxy");
        Path copy = dir.resolve("haproxy.cfg");
        Files.copy(config, copy);
        ProcessBuilder builder = new ProcessBuilder(binary.toString(), "-db", "-f", copy.toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile());
        builder.environment().putAll(environment);
        HaproxyServer server = new HaproxyServer(builder.start(), dir, port);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!accepts(port)) {
            if (!server.process.isAlive() || System.nanoTime() > deadline) {
                server.close();
                throw new IllegalStateException("HAProxy did not start (" + config + "):\n" + server.output());
            }
            sleep(50);
        }
        return server;
    }

    /** The port HAProxy listens on, on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** What HAProxy wrote so far (its start-up messages and one line per request). */
    public String output() {
        try {
            return Files.readString(dir.resolve("haproxy.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(dir);
    }

    /** A port free right now on 127.0.0.1 (for a process that binds it next). */
    public static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<Path> binary() {
        return List.of(Path.of("/usr/sbin/haproxy"), Path.of("/usr/bin/haproxy")).stream().filter(Files::isExecutable).findFirst();
    }

    private static void install() {
        List<String> install = List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "--no-install-recommends", "haproxy");
        if (run(install).exitCode() != 0) {
            run(List.of("apt-get", "update"));
            ExternalProcess.Outcome again = run(install);
            if (again.exitCode() != 0) {
                throw new IllegalStateException("apt-get install haproxy failed (" + again.exitCode() + "):\n" + again.output());
            }
        }
    }

    private static ExternalProcess.Outcome run(List<String> command) {
        return ExternalProcess.run(command, Path.of(System.getProperty("java.io.tmpdir")), Map.of(), Duration.ofMinutes(5));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while HAProxy started", e);
        }
    }
}
