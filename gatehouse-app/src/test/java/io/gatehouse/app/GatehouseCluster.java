package io.gatehouse.app;

import io.gatehouse.testkit.HaproxyServer;
import io.gatehouse.testkit.McpReply;
import io.gatehouse.testkit.McpTestClient;
import io.gatehouse.testkit.PostgresServer;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * Issue 14's cluster, for tests: one real PostgreSQL, two Gatehouse nodes as separate OS processes ({@code gatehouse
 * serve} on this JVM's classpath, each with its own data directory, the same database and key-encryption key, and the
 * same public URL: HAProxy's), and a real HAProxy in front of them running {@code deploy/haproxy.cfg} itself.
 */
final class GatehouseCluster implements AutoCloseable {

    static final String PASSWORD = "cluster-demo-password-for-tests";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final PostgresServer postgres;
    private final Path dir;
    private final Map<String, String> storeEnvironment;
    private final List<Node> nodes;
    private final int balancerPort;
    private HaproxyServer haproxy;

    private GatehouseCluster(PostgresServer postgres, Path dir, Map<String, String> storeEnvironment, List<Node> nodes, int balancerPort) {
        this.postgres = postgres;
        this.dir = dir;
        this.storeEnvironment = storeEnvironment;
        this.nodes = nodes;
        this.balancerPort = balancerPort;
    }

    /** Starts PostgreSQL, HAProxy and two nodes in {@code sessionMode}; returns once HAProxy sends requests to both. */
    static GatehouseCluster start(String sessionMode) throws Exception {
        PostgresServer postgres = PostgresServer.start();
        Path dir = Files.createTempDirectory("gatehouse-cluster");
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        Map<String, String> store = Map.of("GATEHOUSE_DATABASE_URL", postgres.jdbcUrl(),
                "GATEHOUSE_KEY_ENCRYPTION_KEY", Base64.getEncoder().encodeToString(kek));
        int balancerPort = HaproxyServer.freePort();
        List<Node> nodes = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            nodes.add(new Node("node" + i, HaproxyServer.freePort(), HaproxyServer.freePort(), dir.resolve("node" + i), sessionMode,
                    URI.create("http://127.0.0.1:" + balancerPort), store));
        }
        GatehouseCluster cluster = new GatehouseCluster(postgres, dir, store, nodes, balancerPort);
        try {
            // one after the other: the first creates the schema, the demo users and the signing key
            for (Node node : nodes) {
                node.start();
                node.awaitReady();
            }
            String address = "127.0.0.1:" + balancerPort;
            cluster.haproxy = HaproxyServer.start(Path.of("../deploy/haproxy.cfg"), balancerPort, Map.of("GATEHOUSE_LB_BIND", address,
                    "GATEHOUSE_LB_HOST", address, "GATEHOUSE_NODE_1", "127.0.0.1:" + nodes.get(0).port,
                    "GATEHOUSE_NODE_2", "127.0.0.1:" + nodes.get(1).port));
            cluster.awaitBothBehindTheBalancer();
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** The MCP URL clients use: HAProxy's. */
    URI mcpUrl() {
        return URI.create("http://127.0.0.1:" + balancerPort + "/mcp");
    }

    /** The public base URL (the issuer): HAProxy's. */
    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + balancerPort);
    }

    Node node(int number) {
        return nodes.get(number - 1);
    }

    String haproxyOutput() {
        return haproxy == null ? "" : haproxy.output();
    }

    /** Waits until requests sent to HAProxy reach both nodes (each node's count of MCP requests grows). */
    void awaitBothBehindTheBalancer() throws InterruptedException {
        long[] before = {node(1).mcpRequests(), node(2).mcpRequests()};
        await("HAProxy sends requests to both nodes", () -> {
            McpTestClient.to(mcpUrl()).call("ping", Map.of());
            return node(1).mcpRequests() > before[0] && node(2).mcpRequests() > before[1];
        });
    }

    /** Runs {@code gatehouse <args>} as its own process with the cluster's store settings (e.g. {@code keys rotate}). */
    Outcome gatehouse(String... args) throws Exception {
        Path out = Files.createTempFile(dir, "cli", ".out");
        Path err = Files.createTempFile(dir, "cli", ".err");
        Process process = command(List.of(args), storeEnvironment, dir.resolve("cli-data"), out)
                .redirectErrorStream(false).redirectError(err.toFile()).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("gatehouse " + String.join(" ", args) + " did not finish: " + Files.readString(err));
        }
        return new Outcome(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** A command's exit code, standard output and standard error. */
    record Outcome(int exitCode, String output, String errors) {
    }

    @Override
    public void close() throws Exception {
        for (Node node : nodes) {
            node.kill();
        }
        if (haproxy != null) {
            haproxy.close();
        }
        postgres.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    /**
     * {@code java -cp <this JVM's classpath> io.gatehouse.app.Main <args>}. Under surefire, {@code java.class.path}
     * may be only its manifest-only booter jar; {@code surefire.test.class.path} then holds the real classpath.
     */
    private static ProcessBuilder command(List<String> args, Map<String, String> environment, Path dataDir, Path log) throws IOException {
        Files.createDirectories(dataDir);
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        if (!classpath.contains(File.pathSeparator)) {
            throw new IllegalStateException("not the real classpath (a booter jar?): " + classpath);
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", classpath, Main.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dataDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("GATEHOUSE_"));
        builder.environment().putAll(environment);
        builder.environment().put("GATEHOUSE_DATA_DIR", dataDir.toString());
        return builder;
    }

    /** One Gatehouse node: its own process, port, management port and data directory. */
    static final class Node {

        final String name;
        final int port;
        final int managementPort;
        private final Path dataDir;
        private final List<String> args;
        private final Map<String, String> environment;
        private Process process;

        Node(String name, int port, int managementPort, Path dataDir, String sessionMode, URI publicUrl, Map<String, String> store) {
            this.name = name;
            this.port = port;
            this.managementPort = managementPort;
            this.dataDir = dataDir;
            this.args = List.of("serve", "--port", String.valueOf(port), "--auth", "embedded", "--session-mode", sessionMode,
                    "--public-url", publicUrl.toString());
            Map<String, String> env = new LinkedHashMap<>(store);
            env.put("GATEHOUSE_DEMO_PASSWORD", PASSWORD);
            env.put("GATEHOUSE_MANAGEMENT_PORT", String.valueOf(managementPort));
            env.put("GATEHOUSE_SHUTDOWN_DRAIN", "2s");
            env.put("GATEHOUSE_TRUSTED_PROXIES", "127.0.0.1");   // HAProxy's X-Forwarded-For names the client
            env.put("GATEHOUSE_ACCESS_TOKEN_TTL", "15m");
            this.environment = Map.copyOf(env);
        }

        void start() throws IOException {
            process = command(args, environment, dataDir, dataDir.resolve("node.log")).start();
        }

        void awaitReady() throws InterruptedException {
            await(name + " is ready", () -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited (" + process.exitValue() + "):\n" + log());
                }
                try {
                    return direct().raw("GET", "/health/ready", null).status() == 200;
                } catch (RuntimeException notYet) {
                    return false;
                }
            });
        }

        /** A client of this node's own port (not through HAProxy). */
        McpTestClient direct() {
            return McpTestClient.to(URI.create("http://127.0.0.1:" + port + "/mcp"));
        }

        /** The management listener's detailed /health/ready. */
        JsonNode managementHealth() {
            McpReply reply = McpTestClient.to(URI.create("http://127.0.0.1:" + managementPort + "/health/ready"))
                    .raw("GET", "/health/ready", null);
            return reply.json();
        }

        /** How many requests reached this node's MCP endpoint. */
        long mcpRequests() {
            return managementHealth().path("mcpRequests").asLong();
        }

        /** SIGKILL: the node dies with whatever it had in flight. */
        void kill() throws InterruptedException {
            if (process != null && process.isAlive()) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }

        /** SIGTERM: the node drains and stops; returns its exit code. */
        int terminate() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " did not stop on SIGTERM:\n" + log());
            }
            return process.exitValue();
        }

        String log() {
            try {
                return Files.readString(dataDir.resolve("node.log"), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }
    }
}
