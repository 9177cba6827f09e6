package io.gatehouse.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests, from Debian's packages: installed with apt-get when missing, a fresh
 * cluster initialised in a temporary directory (as the {@code postgres} user, since initdb refuses root),
 * listening on 127.0.0.1 on a free port, stopped and deleted on {@link #close()}.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(5);

    private final Path bin;
    private final Path dataDir;
    private final int port;

    private PostgresServer(Path bin, Path dataDir, int port) {
        this.bin = bin;
        this.dataDir = dataDir;
        this.port = port;
    }

    public static PostgresServer start() throws IOException {
        Path bin = binaries().orElseGet(() -> {
            install();
            return binaries().orElseThrow(() -> new IllegalStateException("PostgreSQL is still missing after apt-get install"));
        });
        Path dir = Files.createTempDirectory("gatehouse-pg");
        Path data = dir.resolve("data");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
        }
        run(asPostgres(root, bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "gatehouse", "-A", "trust",
                "--no-sync", "-E", "UTF8"));
        PostgresServer server = new PostgresServer(bin, data, port);
        server.startAgain();
        run(asPostgres(root, bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "gatehouse", "gatehouse"));
        return server;
    }

    /** Stops the server (fast: sessions are ended), keeping its data, as an outage would. */
    public void stop() {
        run(asPostgres(isRoot(), bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "fast", "-w", "stop"));
    }

    /** Starts the server again after {@link #stop()}, on the same port with the same data. */
    public void startAgain() {
        Path dir = dataDir.getParent();
        run(asPostgres(isRoot(), bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-l", dir.resolve("server.log").toString(),
                "-w", "-t", "60", "-o", "-h 127.0.0.1 -p " + port + " -k " + dir + " -F", "start"));
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** A JDBC URL of a fresh database on this server. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/gatehouse?user=gatehouse";
    }

    public String createDatabase(String name) {
        boolean root = "root".equals(System.getProperty("user.name"));
        run(asPostgres(root, bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "gatehouse", name));
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name + "?user=gatehouse";
    }

    @Override
    public void close() throws IOException {
        boolean root = "root".equals(System.getProperty("user.name"));
        run(asPostgres(root, bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "fast", "-w", "stop"));
        try (Stream<Path> files = Files.walk(dataDir.getParent())) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static Optional<Path> binaries() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.naturalOrder());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void install() {
        run(List.of("apt-get", "update"));
        run(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "--no-install-recommends", "postgresql"));
    }

    private static List<String> asPostgres(boolean root, String... command) {
        List<String> full = new ArrayList<>();
        if (root) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        return full;
    }

    private static void run(List<String> command) {
        ExternalProcess.Outcome outcome = ExternalProcess.run(command, Path.of(System.getProperty("java.io.tmpdir")), Map.of(), STEP_TIMEOUT);
        if (outcome.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + outcome.exitCode() + "):\n" + outcome.output());
        }
    }
}
