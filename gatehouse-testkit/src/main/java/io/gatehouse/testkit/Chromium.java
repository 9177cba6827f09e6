package io.gatehouse.testkit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real browser for tests: Debian's {@code chromium} package, installed with apt-get on first use when the
 * machine lacks it (CI images often do). Driven from Node with {@code playwright-core}, which downloads no
 * browser of its own.
 */
public final class Chromium {

    /** Where Debian's package puts the browser. */
    public static final Path EXECUTABLE = Path.of("/usr/bin/chromium");

    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
    private static final Path LOCK = Path.of(System.getProperty("java.io.tmpdir"), "gatehouse-chromium-install.lock");

    private Chromium() {
    }

    /**
     * The Chromium executable, installed first ({@code apt-get install chromium}) if it is missing. Fails with
     * an explanation when it cannot be installed (not root, no apt-get, no network).
     */
    public static synchronized Path ensureInstalled() {
        if (Files.isExecutable(EXECUTABLE)) {
            return EXECUTABLE;
        }
        try (FileChannel lockFile = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockFile.lock()) {
            if (Files.isExecutable(EXECUTABLE)) {
                return EXECUTABLE;
            }
            if (!Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
                throw new IllegalStateException(missing("this machine has no apt-get"));
            }
            Map<String, String> env = Map.of("DEBIAN_FRONTEND", "noninteractive");
            ExternalProcess.Outcome update = ExternalProcess.run(List.of("apt-get", "update"), Path.of("/"), env, INSTALL_TIMEOUT);
            if (update.exitCode() != 0) {
                throw new IllegalStateException(missing("apt-get update failed (exit " + update.exitCode() + "):\n" + tail(update.output())));
            }
            ExternalProcess.Outcome install = ExternalProcess.run(List.of("apt-get", "install", "-y", "chromium"),
                    Path.of("/"), env, INSTALL_TIMEOUT);
            if (install.exitCode() != 0 || !Files.isExecutable(EXECUTABLE)) {
                throw new IllegalStateException(missing("apt-get install chromium failed (exit " + install.exitCode() + "):\n" + tail(install.output())));
            }
            return EXECUTABLE;
        } catch (IOException e) {
            throw new IllegalStateException(missing("cannot lock " + LOCK + ": " + e.getMessage()), e);
        }
    }

    /** Command-line switches that let Chromium run headless as root in a container, quietly and offline. */
    public static List<String> headlessArgs() {
        return List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage");
    }

    private static String missing(String why) {
        return "The browser tests need Chromium at " + EXECUTABLE + " and could not install it: " + why
                + "\nInstall it yourself (as root): apt-get update && apt-get install -y chromium";
    }

    private static String tail(String output) {
        return output.length() <= 4000 ? output : "..." + output.substring(output.length() - 4000);
    }
}
