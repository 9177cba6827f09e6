package io.gatehouse.testkit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Real third-party Node programs for tests (the MCP conformance suite, the MCP Inspector, the TypeScript SDK),
 * installed from the npm registry on first use into a cache directory shared by test runs, at pinned versions.
 * Node 22 itself comes from the npm registry too (the {@code node} package ships the binary), because the
 * conformance suite needs it and the machine's Node may be older.
 */
public final class NodeTools {

    private static final Path CACHE = Path.of(System.getProperty("gatehouse.tools.dir",
            System.getProperty("user.home") + "/.cache/gatehouse-test-tools"));
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);

    private NodeTools() {
    }

    /** The Node 22 binary, installed on first use. */
    public static Path node22() {
        Path dir = install("node22", List.of("node@22"));
        return dir.resolve("node_modules/node/bin/node");
    }

    /**
     * A directory with {@code packages} installed under {@code node_modules}; installed on first use, then
     * reused while the package list is unchanged.
     */
    public static Path install(String name, List<String> packages) {
        Path dir = CACHE.resolve(name);
        Path marker = dir.resolve(".installed");
        String wanted = String.join(" ", packages);
        try {
            Files.createDirectories(dir);
            try (FileChannel lockFile = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockFile.lock()) {
                if (Files.exists(marker) && Files.readString(marker).equals(wanted)) {
                    return dir;
                }
                if (!Files.exists(dir.resolve("package.json"))) {
                    Files.writeString(dir.resolve("package.json"), "{\"name\":\"gatehouse-test-" + name + "\",\"private\":true}\n");
                }
                List<String> command = new ArrayList<>(List.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error"));
                command.addAll(packages);
                ExternalProcess.Outcome outcome = ExternalProcess.run(command, dir, Map.of(), INSTALL_TIMEOUT);
                if (outcome.exitCode() != 0) {
                    throw new IllegalStateException("npm install " + wanted + " failed:\n" + outcome.output());
                }
                Files.writeString(marker, wanted);
                return dir;
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare " + dir + ": " + e.getMessage(), e);
        }
    }
}
