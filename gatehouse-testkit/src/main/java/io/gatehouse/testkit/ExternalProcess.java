package io.gatehouse.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a real external program (node, npm, ...) with a deadline, keeping its combined output. */
public final class ExternalProcess {

    /** How a run ended. {@code output} is stdout and stderr interleaved. */
    public record Outcome(int exitCode, String output) {
    }

    private ExternalProcess() {
    }

    public static Outcome run(List<String> command, Path workDir, Map<String, String> env, Duration timeout) {
        try {
            Path log = Files.createTempFile("gatehouse-process", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(nullFile()));
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                return new Outcome(-1, Files.readString(log, StandardCharsets.UTF_8) + "\n[timed out after " + timeout + "]");
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            return new Outcome(process.exitValue(), output);
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts a program and lets the caller react to its output while it runs: each line goes to {@code onLine}
     * as it is printed. Returns when the program ends or the deadline passes (then it is killed).
     */
    public static Outcome interact(List<String> command, Path workDir, Map<String, String> env, Duration timeout,
                                   java.util.function.Consumer<String> onLine) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(nullFile()));
            builder.environment().putAll(env);
            Process process = builder.start();
            StringBuilder output = new StringBuilder();
            Thread reader = Thread.ofVirtual().start(() -> {
                try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        synchronized (output) {
                            output.append(line).append('\n');
                        }
                        onLine.accept(line);
                    }
                } catch (IOException e) {
                    // the process ended
                }
            });
            boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            reader.join(Duration.ofSeconds(10));
            synchronized (output) {
                return new Outcome(ended ? process.exitValue() : -1, output + (ended ? "" : "\n[timed out after " + timeout + "]"));
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static java.io.File nullFile() {
        return new java.io.File("/dev/null");
    }
}
